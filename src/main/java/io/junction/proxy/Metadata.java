package io.junction.proxy;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;

/**
 * A route's own timeouts, which win over its pool's: Gateway's {@code connect-timeout}
 * and {@code response-timeout} route metadata, in milliseconds.
 */
final class Metadata {

	private Metadata() {
	}

	/** The route's connect-timeout metadata as configured, or null. */
	static @Nullable Object connectTimeout(Route route) {
		return route.getMetadata().get(RouteMetadataUtils.CONNECT_TIMEOUT_ATTR);
	}

	/**
	 * The route's response timeout, {@code poolDefault} when it sets none; null when it
	 * sets a negative one, which means none.
	 */
	static @Nullable Duration responseTimeout(Route route, Duration poolDefault) {
		Object configured = route.getMetadata().get(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR);
		if (configured == null) {
			return poolDefault;
		}
		long millis = millis(configured);
		return (millis >= 0) ? Duration.ofMillis(millis) : null;
	}

	static long millis(Object metadata) {
		return (metadata instanceof Number number) ? number.longValue() : Long.parseLong(metadata.toString().trim());
	}

}

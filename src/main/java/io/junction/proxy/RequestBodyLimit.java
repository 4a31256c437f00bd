package io.junction.proxy;

import java.net.URI;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * The largest request body a route takes: its metadata's {@code max-request-body}, else
 * its pool's ({@code junction.backends.<name>.max-request-body}). A body that says it is
 * larger (Content-Length) gets 413 before any server is asked; a chunked body is counted
 * as it passes, and the one that grows past the limit is cut off there: the server's
 * connection is closed, and the client gets 413 unless the server answered already.
 */
public final class RequestBodyLimit implements GlobalFilter, Ordered {

	/** The route metadata key that sets a route's limit. */
	public static final String METADATA_KEY = "max-request-body";

	private final Upstreams upstreams;

	RequestBodyLimit(Upstreams upstreams) {
		this.upstreams = upstreams;
	}

	@Override
	public int getOrder() {
		// Before the route is sent anywhere (PoolProxyFilter, ProxyRoutingFilter).
		return RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER - 2;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		Long limit = (route != null) ? limitOf(route) : null;
		if (limit == null) {
			return chain.filter(exchange);
		}
		ServerHttpRequest request = exchange.getRequest();
		long length = request.getHeaders().getContentLength();
		if (length > limit) {
			// The body is not read: the connection cannot carry another request.
			exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
			return Mono.error(new TooLarge(limit));
		}
		if (length >= 0) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().request(new Counted(request, limit)).build());
	}

	private @Nullable Long limitOf(Route route) {
		Object configured = route.getMetadata().get(METADATA_KEY);
		if (configured != null) {
			return parse(configured);
		}
		URI uri = route.getUri();
		if (uri == null || !"lb".equals(uri.getScheme()) || uri.getHost() == null) {
			return null;
		}
		Upstreams.Upstream upstream = this.upstreams.get(uri.getHost());
		return (upstream != null) ? upstream.pool().maxRequestBody() : null;
	}

	/** A route's {@code max-request-body}: bytes, or a size such as {@code 10MB}. */
	public static long parse(Object configured) {
		return DataSize.parse(String.valueOf(configured).trim()).toBytes();
	}

	/**
	 * The problem with a route's metadata {@code max-request-body}, or null if it has
	 * none.
	 */
	public static @Nullable String problemOf(Map<String, Object> metadata) {
		Object configured = metadata.get(METADATA_KEY);
		if (configured == null) {
			return null;
		}
		try {
			return (parse(configured) >= 1) ? null : "max-request-body " + configured + " must be at least 1B";
		}
		catch (IllegalArgumentException ex) {
			return "max-request-body '" + configured + "' is not a size, such as 10MB or 65536";
		}
	}

	/** A request body over its route's limit. */
	static final class TooLarge extends ResponseStatusException {

		TooLarge(long limit) {
			super(HttpStatus.CONTENT_TOO_LARGE, "request body larger than " + limit + " bytes");
		}

	}

	/** A body without a Content-Length, counted as it passes. */
	private static final class Counted extends ServerHttpRequestDecorator {

		private final long limit;

		Counted(ServerHttpRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			long[] seen = new long[1];
			return super.getBody().handle((buffer, sink) -> {
				seen[0] += buffer.readableByteCount();
				if (seen[0] > this.limit) {
					DataBufferUtils.release(buffer);
					sink.error(new TooLarge(this.limit));
				}
				else {
					sink.next(buffer);
				}
			});
		}

	}

}

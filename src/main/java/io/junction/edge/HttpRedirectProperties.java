package io.junction.edge;

import io.junction.InvalidConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A plain HTTP port beside the TLS traffic port that answers every request with a
 * redirect to https (HAProxy {@code http-request redirect scheme https}).
 */
@ConfigurationProperties(HttpRedirectProperties.PREFIX)
public class HttpRedirectProperties {

	/** Prefix of the redirect properties. */
	public static final String PREFIX = "junction.http-redirect";

	/** Port of the plain listener; none by default, and then nothing listens. */
	private @Nullable Integer port;

	/**
	 * Port of https in the redirect, as clients reach it (the load balancer's); 443 is
	 * left out of the URL.
	 */
	private int httpsPort = 443;

	public @Nullable Integer getPort() {
		return this.port;
	}

	public void setPort(@Nullable Integer port) {
		if (port != null && (port < 0 || port > 65535)) {
			throw new InvalidConfigurationException(PREFIX + ".port", port + " must be from 0 to 65535");
		}
		this.port = port;
	}

	public int getHttpsPort() {
		return this.httpsPort;
	}

	public void setHttpsPort(int httpsPort) {
		if (httpsPort < 1 || httpsPort > 65535) {
			throw new InvalidConfigurationException(PREFIX + ".https-port", httpsPort + " must be from 1 to 65535");
		}
		this.httpsPort = httpsPort;
	}

}

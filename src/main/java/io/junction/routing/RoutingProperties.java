package io.junction.routing;

import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Junction passes requests on. The routes themselves stay where Spring Cloud Gateway
 * reads them: {@code spring.cloud.gateway.server.webflux.routes}.
 */
@ConfigurationProperties(RoutingProperties.PREFIX)
public class RoutingProperties {

	/** Prefix of the routing properties. */
	public static final String PREFIX = "junction.routing";

	/**
	 * Whether the client's Host header reaches the app server unchanged, as with HAProxy.
	 * When false, the app server sees its own host and port. Default true.
	 */
	private boolean preserveHost = true;

	/**
	 * Addresses of proxies in front of Junction (the ELB) whose X-Forwarded-For, -Proto,
	 * -Host and -Port are kept and appended to; from any other peer they are replaced
	 * (HAProxy {@code option forwardfor} with {@code except}). A regex over the peer's IP
	 * address. Default: loopback and private networks, where an ELB's nodes live.
	 */
	private Pattern trustedProxies = Pattern
		.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}"
				+ "|172\\.(1[6-9]|2\\d|3[01])\\.\\d{1,3}\\.\\d{1,3}|192\\.168\\.\\d{1,3}\\.\\d{1,3}"
				+ "|0:0:0:0:0:0:0:1|f[cd][0-9a-f]{2}:.*");

	public boolean isPreserveHost() {
		return this.preserveHost;
	}

	public void setPreserveHost(boolean preserveHost) {
		this.preserveHost = preserveHost;
	}

	public Pattern getTrustedProxies() {
		return this.trustedProxies;
	}

	public void setTrustedProxies(Pattern trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

}

package io.junction.edge;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The PROXY protocol on the traffic port (HAProxy {@code bind ... accept-proxy}): a load
 * balancer in TCP mode (an ELB's TCP listener, an NLB) says who its client is in a header
 * before the first request's bytes.
 */
@ConfigurationProperties(ProxyProtocolProperties.PREFIX)
public class ProxyProtocolProperties {

	/** Prefix of the PROXY protocol properties, which sit directly under it. */
	public static final String PREFIX = "junction";

	/**
	 * Which versions of the PROXY protocol header connections from trusted peers must
	 * start with: off (none is read; default), v1 (text), v2 (binary) or any.
	 */
	private ProxyProtocolMode proxyProtocol = ProxyProtocolMode.OFF;

	/**
	 * Peers whose PROXY protocol header is read, as a regex over their IP address; they
	 * must send one. Other peers are served as they are, and refused if they send a
	 * header. Default: the same as junction.routing.trusted-proxies.
	 */
	private @Nullable Pattern proxyProtocolTrusted;

	public ProxyProtocolMode getProxyProtocol() {
		return this.proxyProtocol;
	}

	public void setProxyProtocol(ProxyProtocolMode proxyProtocol) {
		this.proxyProtocol = proxyProtocol;
	}

	public @Nullable Pattern getProxyProtocolTrusted() {
		return this.proxyProtocolTrusted;
	}

	public void setProxyProtocolTrusted(@Nullable Pattern proxyProtocolTrusted) {
		this.proxyProtocolTrusted = proxyProtocolTrusted;
	}

	/** The versions of the PROXY protocol header that are read. */
	public enum ProxyProtocolMode {

		/** No header is read. */
		OFF,

		/** The text header, {@code PROXY TCP4 ...}. */
		V1,

		/** The binary header. */
		V2,

		/** Either. */
		ANY;

		boolean accepts(io.netty.handler.codec.haproxy.HAProxyProtocolVersion version) {
			return switch (this) {
				case OFF -> false;
				case V1 -> version == io.netty.handler.codec.haproxy.HAProxyProtocolVersion.V1;
				case V2 -> version == io.netty.handler.codec.haproxy.HAProxyProtocolVersion.V2;
				case ANY -> true;
			};
		}

	}

}

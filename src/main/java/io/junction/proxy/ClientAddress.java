package io.junction.proxy;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The one place that says who sent a request: the X-Forwarded-For Junction appends, the
 * access log's client, and the caller an admin change is logged with all read it here.
 * Today it is the connection's peer; the PROXY protocol's source address takes its place
 * once Junction reads that protocol.
 */
public final class ClientAddress {

	private ClientAddress() {
	}

	/** The address of whoever sent {@code request}, or null if it is not known. */
	public static @Nullable InetSocketAddress of(ServerHttpRequest request) {
		return request.getRemoteAddress();
	}

	/**
	 * The IP address of who sent {@code request}, as text, or null if it is not known.
	 */
	public static @Nullable String ip(ServerHttpRequest request) {
		return ip(of(request));
	}

	/** {@code address}'s IP as text (no port, no brackets), or null if it has none. */
	public static @Nullable String ip(@Nullable InetSocketAddress address) {
		if (address == null) {
			return null;
		}
		return (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
	}

	/**
	 * {@code address} as {@code ip:port}, IPv6 in brackets, or "-" if it is not known.
	 */
	public static String ipAndPort(@Nullable InetSocketAddress address) {
		String ip = ip(address);
		if (address == null || ip == null) {
			return "-";
		}
		return (ip.indexOf(':') >= 0) ? "[" + ip + "]:" + address.getPort() : ip + ":" + address.getPort();
	}

}

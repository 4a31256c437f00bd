package io.junction.proxy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The one place that says who sent a request: the X-Forwarded-For Junction appends, the
 * access log's client, and the caller an admin change is logged with all read it here. It
 * is the source address of the connection's PROXY protocol header when there was one,
 * else the connection's peer.
 */
public final class ClientAddress {

	/**
	 * The client a PROXY protocol header named, on the connection's channel (for HTTP/2,
	 * the parent of the stream's).
	 */
	public static final AttributeKey<InetSocketAddress> PROXIED = AttributeKey
		.valueOf(ClientAddress.class.getName() + ".proxied");

	private ClientAddress() {
	}

	/** The address of whoever sent {@code request}, or null if it is not known. */
	public static @Nullable InetSocketAddress of(ServerHttpRequest request) {
		if (nativeRequest(request) instanceof Connection connection) {
			InetSocketAddress proxied = proxied(connection.channel());
			if (proxied != null) {
				return proxied;
			}
		}
		return request.getRemoteAddress();
	}

	/**
	 * The address of whoever opened {@code channel}, or sent the PROXY protocol header on
	 * it; null if it is not known.
	 */
	public static @Nullable InetSocketAddress of(Channel channel) {
		InetSocketAddress proxied = proxied(channel);
		if (proxied != null) {
			return proxied;
		}
		return (channel.remoteAddress() instanceof InetSocketAddress peer) ? peer : null;
	}

	/** Reactor Netty's request under {@code request}, or null when there is none. */
	static @Nullable Object nativeRequest(ServerHttpRequest request) {
		try {
			return ServerHttpRequestDecorator.getNativeRequest(request);
		}
		catch (IllegalStateException ex) {
			// A request made up in a test: no server, no connection.
			return null;
		}
	}

	private static @Nullable InetSocketAddress proxied(Channel channel) {
		InetSocketAddress proxied = channel.attr(PROXIED).get();
		Channel parent = channel.parent();
		return (proxied == null && parent != null) ? parent.attr(PROXIED).get() : proxied;
	}

	/**
	 * The IP address of the client behind any trusted proxies: when whoever sent
	 * {@code request} is a trusted proxy (an ELB), the nearest address of its
	 * X-Forwarded-For that is not itself trusted; else the sender's. What a client is
	 * limited by, so that everyone behind one load balancer is not one client.
	 */
	public static @Nullable String originalIp(ServerHttpRequest request, Pattern trustedProxies) {
		String ip = ip(request);
		if (ip == null || !trustedProxies.matcher(ip).matches()) {
			return ip;
		}
		List<String> forwardedFor = request.getHeaders().get("X-Forwarded-For");
		if (forwardedFor == null) {
			return ip;
		}
		for (int i = forwardedFor.size() - 1; i >= 0; i--) {
			String[] hops = forwardedFor.get(i).split(",");
			for (int j = hops.length - 1; j >= 0; j--) {
				String hop = hops[j].trim();
				if (hop.isEmpty()) {
					continue;
				}
				ip = hop;
				if (!trustedProxies.matcher(hop).matches()) {
					return hop;
				}
			}
		}
		return ip;
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

package io.junction.routing;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Adds X-Forwarded-For, -Proto, -Host and -Port to every proxied request. The peer's
 * address is appended to X-Forwarded-For; a trusted proxy's X-Forwarded-* values are
 * kept, anyone else's are replaced by what Junction itself saw, so that a client cannot
 * forge its address past Junction.
 *
 * <p>
 * Spring Cloud Gateway's own filter drops every untrusted address from the
 * X-Forwarded-For chain, which would lose the real client behind an ELB; Junction's keeps
 * the chain. Runs after Gateway's filter that strips incoming X-Forwarded-* headers, and
 * reads the originals from the request.
 */
final class XForwardedRequestHeadersFilter implements HttpHeadersFilter, Ordered {

	static final String FOR = "X-Forwarded-For";

	static final String PROTO = "X-Forwarded-Proto";

	static final String HOST = "X-Forwarded-Host";

	static final String PORT = "X-Forwarded-Port";

	private final Pattern trustedProxies;

	XForwardedRequestHeadersFilter(Pattern trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders received = request.getHeaders();
		String peer = address(request.getRemoteAddress());
		boolean trusted = peer != null && this.trustedProxies.matcher(peer).matches();

		HttpHeaders headers = new HttpHeaders();
		headers.addAll(input);
		String chain = trusted ? joined(received.get(FOR)) : null;
		if (peer != null) {
			headers.set(FOR, (chain != null) ? chain + ", " + peer : peer);
		}
		else if (chain != null) {
			headers.set(FOR, chain);
		}
		setUnlessTrusted(headers, received, trusted, PROTO, request.getURI().getScheme());
		setUnlessTrusted(headers, received, trusted, HOST, received.getFirst(HttpHeaders.HOST));
		InetSocketAddress local = request.getLocalAddress();
		setUnlessTrusted(headers, received, trusted, PORT, (local != null) ? String.valueOf(local.getPort()) : null);
		return headers;
	}

	private static void setUnlessTrusted(HttpHeaders headers, HttpHeaders received, boolean trusted, String name,
			@Nullable String own) {
		String value = trusted ? joined(received.get(name)) : null;
		if (value == null) {
			value = own;
		}
		if (value != null) {
			headers.set(name, value);
		}
	}

	private static @Nullable String joined(@Nullable List<String> values) {
		if (values == null || values.isEmpty()) {
			return null;
		}
		return (values.size() == 1) ? values.get(0) : String.join(", ", values);
	}

	private static @Nullable String address(@Nullable InetSocketAddress socket) {
		if (socket == null || socket.getAddress() == null) {
			return null;
		}
		return socket.getAddress().getHostAddress();
	}

}

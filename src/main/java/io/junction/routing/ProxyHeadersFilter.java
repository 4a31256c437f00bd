package io.junction.routing;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import io.netty.handler.codec.http.DefaultHttpHeaders;

import org.springframework.http.HttpHeaders;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * Everything Junction does to headers between client and server, in one copy per request.
 * Gateway spreads this over five filters that each copy all headers (the largest single
 * cost in the profile, docs/performance.md); Junction gives its routing filter only this
 * one, once for each direction.
 *
 * <p>
 * Both ways, hop-by-hop headers (RFC 9110 7.6.1: Connection and the headers it names,
 * Keep-Alive, Transfer-Encoding, TE, Trailer, Upgrade, Proxy-*) are dropped: they
 * describe one connection, not the message. Towards the server:
 * <ul>
 * <li>X-Forwarded-For gets the peer's address appended; X-Forwarded-Proto, -Host and
 * -Port are set. A trusted proxy's X-Forwarded-* values are kept, anyone else's are
 * replaced by what Junction itself saw, so that a client cannot forge its address past
 * Junction. (Gateway's own filter drops every untrusted address from the chain, which
 * would lose the real client behind an ELB.) Other X-Forwarded-* headers and the RFC 7239
 * Forwarded header are dropped, as Junction does not vouch for them.</li>
 * </ul>
 * (A request with both Content-Length and Transfer-Encoding: chunked has already lost its
 * Content-Length in Netty's decoder, RFC 9112 6.1, and the body is framed anew towards
 * the server.)
 */
final class ProxyHeadersFilter implements HttpHeadersFilter {

	static final String FOR = "X-Forwarded-For";

	static final String PROTO = "X-Forwarded-Proto";

	static final String HOST = "X-Forwarded-Host";

	static final String PORT = "X-Forwarded-Port";

	private static final String X_FORWARDED_PREFIX = "X-Forwarded-";

	// Lower case: Spring's header map lower-cases every name it is given, which allocates
	// nothing for a name already in lower case.
	private static final String[] HOP_BY_HOP = { "connection", "keep-alive", "transfer-encoding", "te", "trailer",
			"upgrade", "proxy-authenticate", "proxy-authorization", "proxy-connection" };

	private static final String[] NONE = {};

	private final Type direction;

	private final Pattern trustedProxies;

	/**
	 * A filter of the headers of requests ({@link Type#REQUEST}) or of responses
	 * ({@link Type#RESPONSE}).
	 */
	ProxyHeadersFilter(Type direction, Pattern trustedProxies) {
		this.direction = direction;
		this.trustedProxies = trustedProxies;
	}

	@Override
	public boolean supports(Type type) {
		return type == this.direction;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		return (this.direction == Type.REQUEST) ? toServer(input, exchange.getRequest()) : toClient(input);
	}

	private HttpHeaders toServer(HttpHeaders received, ServerHttpRequest request) {
		String[] connectionOptions = connectionOptions(received);
		// Backed by Netty's headers, which the routing filter copies from at no cost, and
		// which compare names without lower-casing them.
		HttpHeaders headers = new HttpHeaders(new Netty4HeadersAdapter(new DefaultHttpHeaders()));
		received.forEach((name, values) -> {
			if (!isHopByHop(name, connectionOptions) && !name.regionMatches(true, 0, X_FORWARDED_PREFIX, 0, 12)
					&& !name.equalsIgnoreCase("Forwarded")) {
				headers.addAll(name, values);
			}
		});

		String peer = address(request.getRemoteAddress());
		boolean trusted = peer != null && this.trustedProxies.matcher(peer).matches();
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

	// The routing filter gives this filter a copy of the server's headers made for it:
	// removing from it is safe and cheaper than another copy.
	private HttpHeaders toClient(HttpHeaders received) {
		for (String option : connectionOptions(received)) {
			received.remove(option);
		}
		for (String hopByHop : HOP_BY_HOP) {
			if (received.containsHeader(hopByHop)) {
				received.remove(hopByHop);
			}
		}
		return received;
	}

	private static String[] connectionOptions(HttpHeaders headers) {
		List<String> connection = headers.get("connection");
		if (connection == null) {
			return NONE;
		}
		return StringUtils.tokenizeToStringArray(String.join(",", connection), ", ");
	}

	private static boolean isHopByHop(String name, String[] connectionOptions) {
		for (String hopByHop : HOP_BY_HOP) {
			if (name.equalsIgnoreCase(hopByHop)) {
				return true;
			}
		}
		for (String option : connectionOptions) {
			if (name.equalsIgnoreCase(option)) {
				return true;
			}
		}
		return false;
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

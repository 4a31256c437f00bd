package io.junction.proxy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.StringUtils;

/**
 * Everything Junction does to headers between client and server, written straight into
 * the headers of the message sent on: one copy per direction and request. Gateway spreads
 * this over five filters that each copy all headers (the largest single cost in the
 * profile, docs/performance.md).
 *
 * <p>
 * Both ways, hop-by-hop headers (RFC 9110 7.6.1: Connection and the headers it names,
 * Keep-Alive, Transfer-Encoding, TE, Trailer, Upgrade, Proxy-*) are dropped: they
 * describe one connection, not the message; only {@code TE: trailers} goes on, since
 * Junction passes trailers on. Towards the server:
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
public final class ProxyHeaders {

	static final String FOR = "X-Forwarded-For";

	static final String PROTO = "X-Forwarded-Proto";

	static final String HOST = "X-Forwarded-Host";

	static final String PORT = "X-Forwarded-Port";

	private static final String X_FORWARDED_PREFIX = "X-Forwarded-";

	private static final String[] HOP_BY_HOP = { "connection", "keep-alive", "transfer-encoding", "te", "trailer",
			"upgrade", "proxy-authenticate", "proxy-authorization", "proxy-connection" };

	private static final String[] NONE = {};

	private final Pattern trustedProxies;

	public ProxyHeaders(Pattern trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	/** The IP address of the client behind any trusted proxies, or null if not known. */
	@Nullable String clientIp(ServerHttpRequest request) {
		return ClientAddress.originalIp(request, this.trustedProxies);
	}

	/**
	 * Whether the client reached Junction over https: the traffic port's own TLS, or,
	 * from a trusted proxy (an ELB that ends TLS), its first X-Forwarded-Proto.
	 */
	boolean isSecure(ServerHttpRequest request) {
		if ("https".equalsIgnoreCase(request.getURI().getScheme())) {
			return true;
		}
		String proto = request.getHeaders().getFirst(PROTO);
		if (proto == null) {
			return false;
		}
		String peer = ClientAddress.ip(request);
		if (peer == null || !this.trustedProxies.matcher(peer).matches()) {
			return false;
		}
		int comma = proto.indexOf(',');
		return ((comma < 0) ? proto : proto.substring(0, comma)).trim().equalsIgnoreCase("https");
	}

	/**
	 * Writes the headers of {@code request} that go on to the server into {@code sent}.
	 */
	public void toServer(ServerHttpRequest request, io.netty.handler.codec.http.HttpHeaders sent) {
		HttpHeaders received = request.getHeaders();
		String[] connectionOptions = connectionOptions(received.get("connection"));
		received.forEach((name, values) -> {
			// Host is the routing filter's: the server's name, or the client's Host kept.
			// Set, not added: the client's User-Agent and Accept replace Reactor Netty's.
			if (!isHopByHop(name, connectionOptions) && !name.regionMatches(true, 0, X_FORWARDED_PREFIX, 0, 12)
					&& !name.equalsIgnoreCase("Forwarded") && !name.equalsIgnoreCase(HttpHeaders.HOST)) {
				sent.set(name, values);
			}
		});

		// The one TE a server may see (the only one HTTP/2 allows): that the client
		// takes trailers, which Junction passes on. gRPC servers look for it.
		if (acceptsTrailers(received.get("te"))) {
			sent.set("te", "trailers");
		}

		String peer = ClientAddress.ip(request);
		boolean trusted = peer != null && this.trustedProxies.matcher(peer).matches();
		String chain = trusted ? joined(received.get(FOR)) : null;
		if (peer != null) {
			sent.set(FOR, (chain != null) ? chain + ", " + peer : peer);
		}
		else if (chain != null) {
			sent.set(FOR, chain);
		}
		setUnlessTrusted(sent, received, trusted, PROTO, request.getURI().getScheme());
		setUnlessTrusted(sent, received, trusted, HOST, received.getFirst(HttpHeaders.HOST));
		InetSocketAddress local = request.getLocalAddress();
		setUnlessTrusted(sent, received, trusted, PORT, (local != null) ? String.valueOf(local.getPort()) : null);
	}

	/**
	 * Writes the headers of the server's response that go on to the client into
	 * {@code response}.
	 */
	public void toClient(io.netty.handler.codec.http.HttpHeaders received, HttpHeaders response) {
		String[] connectionOptions = connectionOptions(received.getAll("connection"));
		for (Map.Entry<String, String> header : received) {
			String name = header.getKey();
			if (!isHopByHop(name, connectionOptions)) {
				response.add(name, header.getValue());
			}
		}
	}

	private static boolean acceptsTrailers(@Nullable List<String> te) {
		if (te == null) {
			return false;
		}
		for (String value : te) {
			for (String coding : StringUtils.tokenizeToStringArray(value, ",")) {
				if (coding.equalsIgnoreCase("trailers")) {
					return true;
				}
			}
		}
		return false;
	}

	private static String[] connectionOptions(@Nullable List<String> connection) {
		if (connection == null || connection.isEmpty()) {
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

	private static void setUnlessTrusted(io.netty.handler.codec.http.HttpHeaders sent, HttpHeaders received,
			boolean trusted, String name, @Nullable String own) {
		String value = trusted ? joined(received.get(name)) : null;
		if (value == null) {
			value = own;
		}
		if (value != null) {
			sent.set(name, value);
		}
	}

	private static @Nullable String joined(@Nullable List<String> values) {
		if (values == null || values.isEmpty()) {
			return null;
		}
		return (values.size() == 1) ? values.get(0) : String.join(", ", values);
	}

}

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.AsciiString;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * The floor of Junction's stack: Junction's job on the seed's routing done by Reactor
 * Netty alone, without Spring (no WebFlux, Gateway or Boot). bench/compare-haproxy.sh
 * measures it beside HAProxy and Junction, to tell what Reactor Netty itself costs from
 * what Junction and the layers above Reactor Netty add.
 *
 * <p>
 * Routes, tested in order by prefix of the path as the client sent it:
 * {@code /services/foo/v1/} and {@code /services/bar/v1/} to a pool of the app servers
 * each, the prefix replaced by {@code /} (the seed's {@code RewritePath=^PREFIX(?<rest>.*),
 * /${rest}}), anything else to the website server. Each pool takes its servers in turn
 * (round robin). Towards the server: the request's headers without the hop-by-hop ones
 * (RFC 9110 7.6.1) and without X-Forwarded-* and Forwarded, then X-Forwarded-For with the
 * peer's address appended to the client's chain (Junction does so for a trusted peer, and
 * loopback is trusted by default), X-Forwarded-Proto, -Host and -Port as this proxy saw
 * them, the client's Host kept; the body streamed. Back to the client: the server's status
 * and headers without the hop-by-hop ones, the body streamed. 502 when the server cannot be
 * reached or fails before answering, 504 after 30 s without an answer. There is no
 * retry on another server, no health check, no metric and no access log: Junction has all
 * of those, so they are part of the difference measured.
 *
 * <p>
 * Run with the JDK's source launcher (Java 17 or later), Reactor Netty and Netty on the
 * class path (the jars inside Junction's own jar; bench/compare-haproxy.sh extracts them):
 * <pre>
 * java -cp 'LIB/*' bench/bare-proxy/BareProxy.java [--port=28380] \
 *     [--app-ports=29201,29202,29203] [--website-port=29280]
 * </pre>
 * It listens on 127.0.0.1:port, the servers are on 127.0.0.1 too, and it runs until
 * killed.
 */
final class BareProxy {

	private static final String USAGE = "usage: java -cp 'LIB/*' BareProxy.java [--port=28380] "
			+ "[--app-ports=29201,29202,29203] [--website-port=29280]";

	private static final String[] HOP_BY_HOP = { "connection", "keep-alive", "transfer-encoding", "te", "trailer",
			"upgrade", "proxy-authenticate", "proxy-authorization", "proxy-connection" };

	private static final String[] NONE = {};

	private static final Pattern COMMA = Pattern.compile("\\s*,\\s*");

	// Reactor Netty's values of these stay only when the client sent none (Host: HTTP/1.0).
	private static final AsciiString[] REACTOR_NETTY_DEFAULTS = { HttpHeaderNames.HOST, HttpHeaderNames.USER_AGENT,
			HttpHeaderNames.ACCEPT };

	private static final String X_FORWARDED_FOR = "X-Forwarded-For";

	private final Route[] routes;

	private final Pool website;

	private final HttpClient client;

	BareProxy(Route[] routes, Pool website) {
		this.routes = routes;
		this.website = website;
		// Ample for any benchmark here; Gateway's default pool has no limit at all.
		ConnectionProvider connections = ConnectionProvider.builder("bare-proxy")
			.maxConnections(1024)
			.pendingAcquireMaxCount(-1)
			.build();
		// Junction's defaults: HAProxy's "timeout connect 2s" and "timeout server 30s".
		this.client = HttpClient.create(connections)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
			.responseTimeout(Duration.ofSeconds(30));
	}

	public static void main(String[] args) {
		int port = 28380;
		int[] appPorts = { 29201, 29202, 29203 };
		int websitePort = 29280;
		for (String arg : args) {
			String value = arg.substring(arg.indexOf('=') + 1);
			try {
				if (arg.startsWith("--port=")) {
					port = Integer.parseInt(value);
				}
				else if (arg.startsWith("--app-ports=")) {
					String[] ports = value.split(",");
					appPorts = new int[ports.length];
					for (int i = 0; i < ports.length; i++) {
						appPorts[i] = Integer.parseInt(ports[i].trim());
					}
				}
				else if (arg.startsWith("--website-port=")) {
					websitePort = Integer.parseInt(value);
				}
				else {
					throw new IllegalArgumentException(arg);
				}
			}
			catch (IllegalArgumentException ex) {
				System.err.println("BareProxy: cannot use " + arg + "\n" + USAGE);
				System.exit(2);
			}
		}
		// The seed's two service pools have the same servers, but each takes its own turns.
		Route[] routes = { new Route("/services/foo/v1/", new Pool(appPorts)),
				new Route("/services/bar/v1/", new Pool(appPorts)) };
		Pool website = new Pool(new int[] { websitePort });
		BareProxy proxy = new BareProxy(routes, website);
		DisposableServer server = HttpServer.create().host("127.0.0.1").port(port).handle(proxy::proxy).bindNow();
		System.out.println("BareProxy listening on 127.0.0.1:" + port + ": /services/foo/v1/ and /services/bar/v1/ -> "
				+ String.join(", ", routes[0].pool().servers()) + "; anything else -> " + website.servers()[0]);
		server.onDispose().block();
	}

	private Mono<Void> proxy(HttpServerRequest request, HttpServerResponse response) {
		String uri = request.uri();
		Pool pool = this.website;
		String sentUri = uri;
		for (Route route : this.routes) {
			if (uri.startsWith(route.prefix())) {
				pool = route.pool();
				sentUri = uri.substring(route.prefix().length() - 1);
				break;
			}
		}
		HttpHeaders received = request.requestHeaders();
		boolean hasBody = received.contains(HttpHeaderNames.CONTENT_LENGTH)
				|| received.contains(HttpHeaderNames.TRANSFER_ENCODING);
		return this.client.request(request.method())
			.uri(pool.next() + sentUri)
			.send((sent, outbound) -> {
				toServer(request, sent);
				return hasBody ? outbound.send(request.receive().retain()) : outbound;
			})
			.response((answer, body) -> {
				response.status(answer.status());
				toClient(answer.responseHeaders(), response.responseHeaders());
				return response.send(body.retain());
			})
			.then()
			.onErrorResume((ex) -> failed(response, ex));
	}

	private static void toServer(HttpServerRequest request, HttpClientRequest sent) {
		HttpHeaders received = request.requestHeaders();
		HttpHeaders headers = sent.requestHeaders();
		for (AsciiString name : REACTOR_NETTY_DEFAULTS) {
			if (received.contains(name)) {
				headers.remove(name);
			}
		}
		String[] connectionOptions = connectionOptions(received);
		for (Map.Entry<String, String> header : received) {
			String name = header.getKey();
			if (!isHopByHop(name, connectionOptions) && !name.regionMatches(true, 0, "X-Forwarded-", 0, 12)
					&& !name.equalsIgnoreCase("Forwarded")) {
				headers.add(name, header.getValue());
			}
		}
		String peer = request.remoteAddress().getAddress().getHostAddress();
		headers.set(X_FORWARDED_FOR,
				received.contains(X_FORWARDED_FOR) ? String.join(", ", received.getAll(X_FORWARDED_FOR)) + ", " + peer
						: peer);
		headers.set("X-Forwarded-Proto", request.scheme());
		String host = received.get(HttpHeaderNames.HOST);
		if (host != null) {
			headers.set("X-Forwarded-Host", host);
		}
		InetSocketAddress local = request.hostAddress();
		if (local != null) {
			headers.set("X-Forwarded-Port", String.valueOf(local.getPort()));
		}
	}

	private static void toClient(HttpHeaders received, HttpHeaders sent) {
		String[] connectionOptions = connectionOptions(received);
		for (Map.Entry<String, String> header : received) {
			if (!isHopByHop(header.getKey(), connectionOptions)) {
				sent.add(header.getKey(), header.getValue());
			}
		}
	}

	private static Mono<Void> failed(HttpServerResponse response, Throwable ex) {
		if (response.hasSentHeaders()) {
			// Too late for a status: breaking the connection is the only signal left.
			return Mono.error(ex);
		}
		HttpResponseStatus status = (ex instanceof ReadTimeoutException) ? HttpResponseStatus.GATEWAY_TIMEOUT
				: HttpResponseStatus.BAD_GATEWAY;
		// Drop whatever the server's answer had set before it failed.
		response.responseHeaders().clear();
		return response.status(status)
			.header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
			.sendString(Mono.just(status.code() + " " + status.reasonPhrase() + "\n"))
			.then();
	}

	/** The header names that the Connection header lists: hop-by-hop too. */
	private static String[] connectionOptions(HttpHeaders headers) {
		if (!headers.contains(HttpHeaderNames.CONNECTION)) {
			return NONE;
		}
		return COMMA.split(String.join(",", headers.getAll(HttpHeaderNames.CONNECTION)).trim());
	}

	private static boolean isHopByHop(String name, String[] connectionOptions) {
		return isOneOf(name, HOP_BY_HOP) || isOneOf(name, connectionOptions);
	}

	private static boolean isOneOf(String name, String[] names) {
		for (String candidate : names) {
			if (candidate.equalsIgnoreCase(name)) {
				return true;
			}
		}
		return false;
	}

	/** Requests whose path starts with {@code prefix} go to {@code pool}. */
	record Route(String prefix, Pool pool) {
	}

	/** Servers on 127.0.0.1, taken in turn; lock-free. */
	static final class Pool {

		private final String[] servers;

		private final AtomicInteger next = new AtomicInteger();

		Pool(int[] ports) {
			this.servers = new String[ports.length];
			for (int i = 0; i < ports.length; i++) {
				this.servers[i] = "http://127.0.0.1:" + ports[i];
			}
		}

		String[] servers() {
			return this.servers;
		}

		/** The next server's base URL; floorMod keeps the index valid once the counter wraps. */
		String next() {
			return this.servers[Math.floorMod(this.next.getAndIncrement(), this.servers.length)];
		}

	}

}

package io.junction.routetest;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * HTTP servers on loopback that answer every request with the path and query they
 * received, naming the pool (or backend) they stand for in {@link #POOL_HEADER} and
 * passing {@link #ROUTE_HEADER} back: what a routing test reads of where a request went.
 */
public final class EchoServers implements AutoCloseable {

	/** The request header a route adds, naming itself, which the answer repeats. */
	public static final String ROUTE_HEADER = "X-Junction-Route-Test-Route";

	/** The response header that names the pool whose echo server answered. */
	public static final String POOL_HEADER = "X-Junction-Route-Test-Pool";

	private final List<DisposableServer> servers = new ArrayList<>();

	/**
	 * Starts an echo server for {@code pool}; returns its URL,
	 * {@code http://127.0.0.1:<port>}.
	 */
	public synchronized String start(String pool) {
		DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			String route = request.requestHeaders().get(ROUTE_HEADER);
			response.header(POOL_HEADER, pool).header("Content-Type", "text/plain");
			if (route != null) {
				response.header(ROUTE_HEADER, route);
			}
			return request.receive().then(response.sendString(Mono.just(request.uri())).then());
		}).bindNow();
		this.servers.add(server);
		return "http://127.0.0.1:" + server.port();
	}

	@Override
	public synchronized void close() {
		this.servers.forEach(DisposableServer::disposeNow);
		this.servers.clear();
	}

}

package io.junction.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.junction.pools.PoolRegistry;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.context.SmartLifecycle;

/**
 * One small HTTP server for every pool server configured on loopback. Each answers any
 * request with its own name and the path and Host it received, which shows routing,
 * rewriting and balancing at a glance. Started before Junction's own port opens.
 */
final class DemoAppServers implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DemoAppServers.class);

	private final PoolRegistry pools;

	private final List<DisposableServer> running = new ArrayList<>();

	DemoAppServers(PoolRegistry pools) {
		this.pools = pools;
	}

	@Override
	public void start() {
		for (Pool pool : this.pools.current().all()) {
			for (PoolServer server : pool.servers()) {
				if (isLoopback(server.getHost())) {
					this.running.add(HttpServer.create()
						.host(server.getHost())
						.port(server.getPort())
						.handle((request, response) -> response.header("Content-Type", "text/plain; charset=UTF-8")
							.sendString(Mono.just(describe(server, request)), StandardCharsets.UTF_8))
						.bindNow());
					logger.info("demo app server " + server + " started");
				}
			}
		}
	}

	private static String describe(PoolServer server, HttpServerRequest request) {
		return "server: " + server.getName() + " (backend " + server.pool() + ")\n" + "method: "
				+ request.method().name() + "\n" + "path: " + request.uri() + "\n" + "host: "
				+ request.requestHeaders().get("Host") + "\n";
	}

	private static boolean isLoopback(String host) {
		return host.equals("127.0.0.1") || host.equals("localhost");
	}

	// Before the web server starts, after it stops: checks (or demo servers) outlive
	// the requests that need them.
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	@Override
	public void stop() {
		this.running.forEach(DisposableServer::disposeNow);
		this.running.clear();
	}

	@Override
	public boolean isRunning() {
		return !this.running.isEmpty();
	}

}

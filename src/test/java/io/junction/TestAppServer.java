package io.junction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.HttpHeaders;

/**
 * A real HTTP app server on a random loopback port. It records every request it receives
 * and answers with its own name, or, on demand, never answers or hangs up.
 */
public final class TestAppServer implements AutoCloseable {

	/** How the server treats the requests it receives. */
	public enum Behaviour {

		/**
		 * Answer 200 with the server's name, and with each header the request asks for in
		 * {@value #RESPOND_WITH_HEADER} ({@code Name: value}).
		 */
		ANSWER,
		/** Read the request and never answer. */
		HANG,
		/** Read the request and close the connection without answering. */
		HANG_UP,
		/** Answer 503 with the server's name. */
		UNAVAILABLE,
		/** Answer 200 with the server's name after one second. */
		SLOW,
		/**
		 * Read the request and answer 200 with the server's name when the test lets it go
		 * ({@link #releaseOne()}), oldest first.
		 */
		HELD

	}

	/** A request header naming a header for the answer, as {@code Name: value}. */
	public static final String RESPOND_WITH_HEADER = "X-Respond-With-Header";

	private final String name;

	private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

	private volatile Behaviour behaviour = Behaviour.ANSWER;

	private final Set<Channel> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger requestCount = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private final Queue<Sinks.Empty<Void>> held = new ConcurrentLinkedQueue<>();

	private volatile DisposableServer server;

	private final int port;

	private TestAppServer(String name) {
		this.name = name;
		this.server = bind(0);
		this.port = this.server.port();
	}

	private DisposableServer bind(int port) {
		return HttpServer.create().host("127.0.0.1").port(port).doOnConnection((connection) -> {
			Channel channel = connection.channel();
			this.connections.add(channel);
			channel.closeFuture().addListener((future) -> this.connections.remove(channel));
		}).handle(this::handle).bindNow();
	}

	/**
	 * Dies as a killed process does: stops listening, so that new connections are
	 * refused, and drops every open connection.
	 */
	public void kill() {
		this.server.disposeNow();
		this.connections.forEach(Channel::close);
	}

	/** Listens again on the same port, as a restarted process does. */
	public void restart() {
		this.server = bind(this.port);
	}

	/** How many connections to the server are open now. */
	public int openConnections() {
		return this.connections.size();
	}

	/** How many requests the server has received since it started. */
	public int requestCount() {
		return this.requestCount.get();
	}

	/** The most requests the server was handling at once: received, not yet answered. */
	public int maxInFlight() {
		return this.maxInFlight.get();
	}

	/** How many requests a {@link Behaviour#HELD} server holds now. */
	public int heldCount() {
		return this.held.size();
	}

	/** Answers the oldest request a {@link Behaviour#HELD} server holds. */
	public void releaseOne() {
		Sinks.Empty<Void> oldest = this.held.poll();
		if (oldest == null) {
			throw new AssertionError(this.name + " holds no request");
		}
		oldest.tryEmitEmpty();
	}

	/** Starts a server that answers with {@code name}. */
	public static TestAppServer start(String name) {
		return new TestAppServer(name);
	}

	/** Starts one server per name, as a pool's servers in that order. */
	public static List<TestAppServer> startAll(String... names) {
		return Arrays.stream(names).map(TestAppServer::start).toList();
	}

	public String name() {
		return this.name;
	}

	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	public int port() {
		return this.port;
	}

	public TestAppServer behave(Behaviour behaviour) {
		this.behaviour = behaviour;
		return this;
	}

	/** The oldest request not yet taken, waiting up to five seconds for one. */
	public Received takeRequest() {
		try {
			Received request = this.received.poll(5, TimeUnit.SECONDS);
			if (request == null) {
				throw new AssertionError(this.name + " received no request");
			}
			return request;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** The oldest request not yet taken, or null if there is none now. */
	public @Nullable Received pollRequest() {
		return this.received.poll();
	}

	/** Every request not yet taken, oldest first, leaving them to be taken. */
	public List<Received> receivedSoFar() {
		return new ArrayList<>(this.received);
	}

	/** Forgets every request received so far. */
	public void clear() {
		this.received.clear();
	}

	/**
	 * The one request that exactly one of {@code servers} received since they were last
	 * cleared; fails if none or several did.
	 */
	public static Received takeFromOne(List<TestAppServer> servers) {
		Received found = null;
		for (TestAppServer server : servers) {
			Received request = server.pollRequest();
			if (request != null) {
				if (found != null || server.pollRequest() != null) {
					throw new AssertionError("more than one request received by " + servers);
				}
				found = request;
			}
		}
		if (found == null) {
			throw new AssertionError("no request received by any of " + servers);
		}
		return found;
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> {
			HttpHeaders headers = new HttpHeaders();
			for (Map.Entry<String, String> header : request.requestHeaders()) {
				headers.add(header.getKey(), header.getValue());
			}
			int now = this.inFlight.incrementAndGet();
			this.maxInFlight.accumulateAndGet(now, Math::max);
			this.received.add(new Received(this.name, request.method().name(), request.uri(), headers, body));
			this.requestCount.incrementAndGet();
			return answer(request, response).doFinally((signal) -> this.inFlight.decrementAndGet());
		});
	}

	private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response) {
		return switch (this.behaviour) {
			case ANSWER -> withRequestedHeaders(request, response).header("Content-Type", "text/plain")
				.sendString(Mono.just(this.name))
				.then();
			case UNAVAILABLE ->
				response.status(503).header("Content-Type", "text/plain").sendString(Mono.just(this.name)).then();
			case SLOW -> Mono.delay(Duration.ofSeconds(1))
				.then(response.header("Content-Type", "text/plain").sendString(Mono.just(this.name)).then());
			case HANG -> Mono.<Void>never().timeout(Duration.ofMinutes(1), Mono.empty());
			case HANG_UP -> Mono.fromRunnable(() -> request.withConnection((c) -> c.channel().close()));
			case HELD -> {
				Sinks.Empty<Void> release = Sinks.empty();
				this.held.add(release);
				yield release.asMono()
					.then(response.header("Content-Type", "text/plain").sendString(Mono.just(this.name)).then());
			}
		};
	}

	private static HttpServerResponse withRequestedHeaders(HttpServerRequest request, HttpServerResponse response) {
		for (String header : request.requestHeaders().getAll(RESPOND_WITH_HEADER)) {
			int colon = header.indexOf(':');
			response.addHeader(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
		}
		return response;
	}

	@Override
	public void close() {
		kill();
	}

	@Override
	public String toString() {
		return this.name + " " + url();
	}

	/**
	 * A request as the app server received it.
	 *
	 * @param server the name of the server that received it
	 * @param method the HTTP method
	 * @param uri the path and query as sent on the request line
	 * @param headers the headers
	 * @param body the body as text, empty when there was none
	 */
	public record Received(String server, String method, String uri, HttpHeaders headers, String body) {
	}

}

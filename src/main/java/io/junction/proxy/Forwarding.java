package io.junction.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.junction.balancing.Candidates;
import io.junction.balancing.FailedServers;
import io.junction.pools.Balance;
import io.junction.pools.Pool;
import io.junction.pools.PoolQueue;
import io.junction.pools.PoolServer;
import io.junction.pools.RetryPolicy;
import io.junction.pools.RetryPolicy.RetryOn;
import io.junction.pools.ServerObserver;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * One request on its way through a pool: its tries, one {@link Attempt} each, and the
 * rules between them (HAProxy's {@code retries}, {@code retry-on} and
 * {@code option redispatch}). The pool is the one of the snapshot that was current when
 * the request arrived, for all of its tries.
 *
 * <p>
 * A connection that could not be opened carried nothing, so it is retried whatever the
 * method. A request that was sent is retried only when its method is idempotent and its
 * body can be sent again; never once the response has started reaching the client, never
 * on a server that already failed it, and only while another server is UP and the
 * response timeout has time left.
 */
public final class Forwarding {

	/** Name of the exchange attribute that holds the forwarding of a routed request. */
	public static final String ATTRIBUTE = Forwarding.class.getName();

	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.PUT, HttpMethod.DELETE);

	private final ServerWebExchange exchange;

	private final Pool pool;

	private final Upstreams.Upstream upstream;

	private final ServerObserver observer;

	private final ProxyHeaders headers;

	private final boolean preserveHost;

	private final List<MediaType> streamingMediaTypes;

	private final LongSupplier nanoClock;

	// The WebSocket sessions, when the request asks to switch to WebSocket; else null.
	private final @Nullable WebSocketSessions webSockets;

	private final ServerHttpRequest request;

	private final @Nullable ReplayableBodyRequest replayable;

	private final boolean idempotent;

	private final @Nullable Object connectTimeout;

	private final long started;

	// Nanos left of the response timeout are deadline - now; none when there is no
	// timeout.
	private final long deadline;

	private final boolean hasDeadline;

	private final FailedServers failed = new FailedServers();

	// What the pool hashes, for balance: hash; else 0.
	private final long hashKey;

	// The request's sticky cookie, for a pool with sticky sessions; else null.
	private final @Nullable StickyCookie sticky;

	// Written by a dispatch of the pool's queue while the request waits, under the
	// queue's lock, which its cancellation takes too.
	private @Nullable Attempt current;

	// Set by take: whether the servers it found none among were only full.
	private boolean mustWait;

	private int attempts;

	private @Nullable UpstreamException lastError;

	Forwarding(ServerWebExchange exchange, Route route, Upstreams.Upstream upstream, ServerObserver observer,
			ProxyHeaders headers, boolean preserveHost, List<MediaType> streamingMediaTypes, LongSupplier nanoClock,
			@Nullable WebSocketSessions webSockets) {
		this.exchange = exchange;
		this.webSockets = webSockets;
		this.upstream = upstream;
		this.pool = upstream.pool();
		this.observer = observer;
		this.headers = headers;
		this.preserveHost = preserveHost;
		this.streamingMediaTypes = streamingMediaTypes;
		this.nanoClock = nanoClock;
		ServerHttpRequest request = exchange.getRequest();
		this.idempotent = IDEMPOTENT.contains(request.getMethod());
		RetryPolicy retry = this.pool.retry();
		if (this.idempotent && retry.retries() > 0 && hasBody(request.getHeaders(), false)) {
			this.replayable = new ReplayableBodyRequest(request, retry.bufferBytes(),
					exchange.getResponse().bufferFactory());
			this.request = this.replayable;
		}
		else {
			this.replayable = null;
			this.request = request;
		}
		this.hashKey = (this.pool.balance() == Balance.HASH) ? HashKey.of(this.pool.hash(), this.request, headers) : 0;
		this.sticky = StickyCookie.of(this.pool, this.request);
		this.connectTimeout = Metadata.connectTimeout(route);
		this.started = nanoClock.getAsLong();
		Duration responseTimeout = Metadata.responseTimeout(route, this.pool.responseTimeout());
		this.hasDeadline = responseTimeout != null;
		this.deadline = (responseTimeout != null) ? this.started + responseTimeout.toNanos() : 0;
	}

	/** The pool the request went to. */
	public Pool pool() {
		return this.pool;
	}

	/** How many servers were tried: the first try and its retries. */
	public int attempts() {
		return this.attempts;
	}

	/** The last try, or null if no server could be tried. */
	public @Nullable Attempt lastAttempt() {
		return this.current;
	}

	Mono<Void> run() {
		Mono<Void> forwarded = Mono.defer(this::tryNext).flatMap(this::respond).doFinally((signal) -> {
			Attempt last = this.current;
			if (last != null) {
				last.end();
			}
		});
		if (this.replayable != null && this.replayable.fitsWhole()) {
			return this.replayable.readAll().then(forwarded);
		}
		return forwarded;
	}

	/**
	 * Tries the next server the balancer chooses, after waiting in the pool's queue if
	 * every server it may use is full; emits the try whose answer is kept.
	 */
	private Mono<Attempt> tryNext() {
		PoolQueue queue = this.pool.queue();
		// Requests that wait go first: a new one takes a server at once only when none
		// does.
		if (queue.isEmpty()) {
			Attempt attempt = take(0);
			if (attempt != null) {
				return tryOn(attempt);
			}
			if (!this.mustWait) {
				return Mono.error(noServer());
			}
		}
		return Mono.<Attempt>create((sink) -> new Waiting(queue, sink).join()).flatMap(this::tryOn);
	}

	private Mono<Attempt> tryOn(Attempt attempt) {
		return send(attempt, tryTimeout(attempt.started())).onErrorResume((error) -> afterFailure(attempt, error))
			.flatMap((answered) -> (answered == attempt) ? afterResponse(attempt) : Mono.just(answered));
	}

	/**
	 * Takes a slot on the server the balancer chooses: the try, in flight; null when
	 * there is none, {@link #mustWait} telling whether only full servers were left.
	 * @param queuedNanos how long the request waited in the queue for it
	 */
	private @Nullable Attempt take(long queuedNanos) {
		StickyCookie sticky = this.sticky;
		Candidates candidates = Candidates.requested(this.pool, this.failed, this.nanoClock, this.hashKey,
				(sticky != null) ? sticky.requested() : null);
		while (true) {
			PoolServer server = candidates.choose(this.upstream.balancer());
			if (server == null) {
				this.mustWait = candidates.mustWait();
				return null;
			}
			Attempt attempt = new Attempt(server, sentPath(), this.nanoClock.getAsLong(), this.pool.queue(),
					queuedNanos);
			// Else another request took its last slot since: the server is full now, so
			// the balancer chooses among the others.
			if (attempt.start()) {
				this.current = attempt;
				this.attempts++;
				return attempt;
			}
		}
	}

	private UpstreamException noServer() {
		UpstreamException last = this.lastError;
		return (last != null) ? last : failure(UpstreamFailure.NO_SERVER, null);
	}

	/**
	 * The request waiting in the pool's queue (HAProxy's {@code maxconn} and
	 * {@code timeout queue}): answered 503 at once when the queue is full, and when its
	 * wait reaches {@code queue-timeout}.
	 */
	private final class Waiting implements PoolQueue.Waiter {

		private final PoolQueue queue;

		private final MonoSink<Attempt> sink;

		private final long since;

		private @Nullable Disposable timer;

		// Set by tryTake, under the queue's lock; read by proceed after it.
		private @Nullable Attempt taken;

		Waiting(PoolQueue queue, MonoSink<Attempt> sink) {
			this.queue = queue;
			this.sink = sink;
			this.since = Forwarding.this.nanoClock.getAsLong();
		}

		void join() {
			// Before joining: a dispatch may serve the request at once.
			Duration timeout = this.queue.timeout();
			this.timer = Schedulers.parallel().schedule(() -> {
				if (this.queue.leave(this, true)) {
					this.sink.error(failure(UpstreamFailure.QUEUE_TIMEOUT, null));
				}
			}, timeout.toNanos(), TimeUnit.NANOSECONDS);
			// A request served before its client left goes on and ends as a cancelled
			// one: its try is ended with the request.
			this.sink.onCancel(() -> {
				if (this.queue.leave(this, false)) {
					dispose();
				}
			});
			if (!this.queue.join(this)) {
				dispose();
				this.sink.error(failure(UpstreamFailure.QUEUE_FULL, null));
			}
		}

		@Override
		public boolean tryTake() {
			Forwarding forwarding = Forwarding.this;
			this.taken = forwarding.take(forwarding.nanoClock.getAsLong() - this.since);
			// Without a server that may take it, the request ends now.
			return this.taken != null || !forwarding.mustWait;
		}

		@Override
		public long proceed() {
			dispose();
			long waited = Forwarding.this.nanoClock.getAsLong() - this.since;
			Attempt taken = this.taken;
			if (taken != null) {
				this.sink.success(taken);
			}
			else {
				this.sink.error(noServer());
			}
			return waited;
		}

		@Override
		public boolean isConstrained() {
			StickyCookie sticky = Forwarding.this.sticky;
			return Forwarding.this.failed.size() > 0 || (sticky != null && sticky.requested() != null);
		}

		private void dispose() {
			Disposable timer = this.timer;
			if (timer != null) {
				timer.dispose();
			}
		}

	}

	/**
	 * Sends the request to the try's server; emits the try once the response headers
	 * arrived. The server's health can cut the wait short ({@code on-down: cancel}), and
	 * {@code timeout} bounds every wait for the server to send something (HAProxy's
	 * {@code timeout server}): for the headers, and between two pieces of the body.
	 */
	private Mono<Attempt> send(Attempt attempt, @Nullable Duration timeout) {
		WebSocketSessions webSockets = this.webSockets;
		if (webSockets != null) {
			// The try timeout bounds the wait for the server's answer, not the session.
			Mono<Attempt> upgraded = upgrade(attempt, webSockets);
			return (timeout != null) ? upgraded.timeout(timeout) : upgraded;
		}
		ServerHttpRequest request = this.request;
		boolean hasBody = hasBody(request.getHeaders(), true);
		Mono<Attempt> sent = this.upstream.client()
			.traffic(this.connectTimeout)
			.request(io.netty.handler.codec.http.HttpMethod.valueOf(request.getMethod().name()))
			.uri(attempt.server().origin() + attempt.sentPath())
			.send((out, outbound) -> {
				if (out instanceof Connection connection) {
					connectionReady(attempt, connection.channel());
				}
				if (timeout != null) {
					// On the connection's own timer, from the end of the request:
					// Reactor's Mono.timeout would schedule on another thread and name
					// itself on every request (both showed in the profile).
					out.responseTimeout(timeout);
				}
				io.netty.handler.codec.http.HttpHeaders sentHeaders = out.requestHeaders();
				this.headers.toServer(request, sentHeaders);
				if (this.sticky != null) {
					this.sticky.removeFrom(sentHeaders);
				}
				// Reactor Netty names the server in Host, unless the route keeps the
				// client's.
				if (this.preserveHost) {
					String clientHost = request.getHeaders().getFirst(HttpHeaders.HOST);
					if (clientHost != null) {
						sentHeaders.set(HttpHeaders.HOST, clientHost);
					}
				}
				return hasBody ? outbound.send(request.getBody().map(NettyDataBufferFactory::toByteBuf)) : outbound;
			})
			.responseConnection((received, connection) -> {
				attempt.cancelWaitWith(null);
				attempt.responded(this.nanoClock.getAsLong(), received, connection);
				return Mono.just(attempt);
			})
			.singleOrEmpty()
			.switchIfEmpty(Mono.error(() -> failure(UpstreamFailure.CLOSED_BEFORE_RESPONSE, null)));
		if (this.pool.onDown() == io.junction.pools.OnDown.WAIT) {
			return sent;
		}
		Mono<Attempt> cancellable = sent;
		return Mono.create((sink) -> {
			Disposable subscription = cancellable.contextWrite(sink.contextView())
				.subscribe(sink::success, sink::error, sink::success);
			sink.onCancel(subscription);
			attempt.cancelWaitWith(() -> {
				subscription.dispose();
				sink.error(failure(UpstreamFailure.SERVER_DOWN, null));
			});
		});
	}

	/**
	 * Asks the try's server to switch to WebSocket; emits the try once it answered, 101
	 * or not. A session holds its server connection until it is over, with no timeout: it
	 * may be idle as long as both sides keep it open.
	 */
	private Mono<Attempt> upgrade(Attempt attempt, WebSocketSessions sessions) {
		ServerHttpRequest request = this.request;
		return Mono.create((sink) -> {
			java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
			Disposable session = this.upstream.client().traffic(this.connectTimeout).headers((sent) -> {
				this.headers.toServer(request, sent);
				if (this.sticky != null) {
					this.sticky.removeFrom(sent);
				}
				WebSocketTunnel.removeHandshakeHeaders(sent);
			})
				.doOnRequest((sent, connection) -> connectionReady(attempt, connection.channel()))
				.websocket(WebSocketTunnel.serverSpec(request))
				.uri(attempt.server().origin() + attempt.sentPath())
				.handle((in, out) -> {
					WebSocketTunnel tunnel = new WebSocketTunnel(attempt, sessions, in, out);
					attempt.upgraded(this.nanoClock.getAsLong(), tunnel, in.headers());
					answered.set(true);
					sink.success(attempt);
					return tunnel.over();
				})
				.subscribe(null, (error) -> {
					if (answered.compareAndSet(false, true)) {
						if (error instanceof WebSocketClientHandshakeException refused && refused.response() != null) {
							// The server's own answer (401, 404, ...): the client gets
							// it.
							attempt.upgradeRefused(this.nanoClock.getAsLong(), refused.response());
							sink.success(attempt);
						}
						else {
							sink.error(error);
						}
					}
				});
			sink.onCancel(() -> {
				if (!answered.get()) {
					session.dispose();
				}
			});
		});
	}

	/** The server answered: keeps the answer, or retries a 502, 503 or 504 elsewhere. */
	private Mono<Attempt> afterResponse(Attempt attempt) {
		PoolServer server = attempt.server();
		int status = attempt.status();
		server.traffic().responded(status, attempt.headersNanos());
		this.observer.responded(this.pool, server, status);
		RetryOn condition = switch (status) {
			case 502 -> RetryOn.STATUS_502;
			case 503 -> RetryOn.STATUS_503;
			case 504 -> RetryOn.STATUS_504;
			default -> null;
		};
		if (condition == null || !mayRetry(server, condition, true)) {
			return Mono.just(attempt);
		}
		attempt.discard();
		retried(server, false);
		return tryNext();
	}

	/** The try failed: tells the server's checks, then retries or gives up. */
	private Mono<Attempt> afterFailure(Attempt attempt, Throwable error) {
		UpstreamFailure failure = UpstreamFailure.of(error);
		if (failure == null) {
			// Not the server's doing: a request body over its limit
			// (RequestBodyLimit.TooLarge), or Junction's own bug, which the error
			// handler logs.
			attempt.end();
			return Mono.error(error);
		}
		PoolServer server = attempt.server();
		attempt.failed(failure);
		attempt.end();
		if (failure.isConnectFailure()) {
			server.traffic().connectionFailed();
		}
		else {
			server.traffic().responseFailed();
		}
		if (failure != UpstreamFailure.SERVER_DOWN) {
			// A server cut short for being down has been judged already.
			this.observer.failed(this.pool, server, failure.describe(error));
		}
		UpstreamException ended = (error instanceof UpstreamException upstream) ? upstream : failure(failure, error);
		if (!mayRetry(server, failure.retryOn(), failure.mayHaveBeenSent())) {
			return Mono.error(ended);
		}
		this.lastError = ended;
		retried(server, failure.isConnectFailure());
		return tryNext();
	}

	/**
	 * Whether the request may go to another server after {@code failedServer} failed it.
	 * @param condition the retry-on keyword that must allow it, or null if none governs
	 * it
	 * @param sent whether the request may have reached the server
	 */
	private boolean mayRetry(PoolServer failedServer, @Nullable RetryOn condition, boolean sent) {
		RetryPolicy policy = this.pool.retry();
		if (this.failed.size() >= policy.retries() || (condition != null && !policy.on().contains(condition))
				|| this.exchange.getResponse().isCommitted() || !hasAnotherServer(failedServer)
				|| (this.hasDeadline && this.deadline - this.nanoClock.getAsLong() <= 0)) {
			return false;
		}
		boolean bodyAvailable = this.replayable == null || this.replayable.canReplay();
		// Nothing was sent when the connection failed, so a body not wrapped for replay
		// is still unread.
		return sent ? this.idempotent && bodyAvailable : bodyAvailable;
	}

	/**
	 * Whether a server that has not failed this request is UP: else a retry could only
	 * end in "no server available", hiding what the last server answered.
	 */
	private boolean hasAnotherServer(PoolServer failedServer) {
		for (PoolServer server : this.pool.servers()) {
			if (server != failedServer && server.state().isUp() && !this.failed.contains(server)) {
				return true;
			}
		}
		return false;
	}

	private void retried(PoolServer failedServer, boolean redispatch) {
		this.failed.add(failedServer);
		failedServer.state().recordRetry(redispatch);
	}

	/** Status, headers and body of the try's response, onto the client's. */
	private Mono<Void> respond(Attempt attempt) {
		ServerHttpResponse response = this.exchange.getResponse();
		if (this.webSockets != null) {
			WebSocketTunnel tunnel = attempt.tunnel();
			if (tunnel != null) {
				stick(attempt, response.getHeaders());
				return tunnel.splice(response, attempt.upgradeHeaders(), this.headers);
			}
			// A refused upgrade: its status and headers; its body is not kept.
			response.setStatusCode(HttpStatusCode.valueOf(attempt.status()));
			this.headers.toClient(attempt.upgradeHeaders(), response.getHeaders());
			stick(attempt, response.getHeaders());
			response.getHeaders().remove(HttpHeaders.CONTENT_LENGTH);
			return response.setComplete();
		}
		HttpClientResponse received = attempt.response();
		Connection connection = attempt.connection();
		io.netty.handler.codec.http.HttpHeaders receivedHeaders = received.responseHeaders();
		response.setStatusCode(HttpStatusCode.valueOf(attempt.status()));
		HttpHeaders sent = response.getHeaders();
		this.headers.toClient(receivedHeaders, sent);
		stick(attempt, sent);
		if (receivedHeaders.contains(HttpHeaders.CONTENT_LENGTH)) {
			sent.remove(HttpHeaders.TRANSFER_ENCODING);
		}
		if (!receivedHeaders.contains(HttpHeaders.CONTENT_LENGTH)) {
			// Only a body without a length can end in trailers (gRPC's status travels in
			// them).
			ServerTrailers.relay(received, response);
		}
		DataBufferFactory factory = response.bufferFactory();
		Flux<DataBuffer> body = connection.inbound().receive().retain().map((buffer) -> {
			attempt.bodyReceived(buffer.readableBytes());
			return wrap(buffer, factory);
		});
		Mono<Void> write;
		if (receivedHeaders.contains(Grpc.STATUS)) {
			// A gRPC answer with its status in the headers has no body ("trailers-only"):
			// it reaches the client as one HEADERS frame that ends the stream, which a
			// write of an empty body would not give.
			write = connection.inbound().receive().then(response.setComplete());
		}
		else if (isStreaming(receivedHeaders.get(HttpHeaders.CONTENT_TYPE))) {
			write = response.writeAndFlushWith(body.map(Flux::just));
		}
		else {
			write = response.writeWith(body);
		}
		// A response that does not reach the client whole leaves its connection unfit
		// for reuse.
		return write.doOnCancel(connection::dispose).doOnError((error) -> connection.dispose());
	}

	/** Names the try's server in the sticky cookie, if the pool has one. */
	private void stick(Attempt attempt, HttpHeaders sent) {
		StickyCookie sticky = this.sticky;
		if (sticky != null) {
			sticky.setOn(sent, attempt.server(), this.headers.isSecure(this.exchange.getRequest()));
		}
	}

	private static DataBuffer wrap(ByteBuf buffer, DataBufferFactory factory) {
		if (factory instanceof NettyDataBufferFactory netty) {
			return netty.wrap(buffer);
		}
		DataBuffer copy = factory.wrap(buffer.nioBuffer());
		buffer.release();
		return copy;
	}

	/**
	 * Streaming media types are flushed as they come (server-sent events, NDJSON, gRPC's
	 * messages).
	 */
	private boolean isStreaming(@Nullable String contentType) {
		if (contentType == null || contentType.isEmpty()) {
			return false;
		}
		if (Grpc.isGrpc(contentType)) {
			return true;
		}
		MediaType mediaType;
		try {
			mediaType = MediaType.parseMediaType(contentType);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		for (MediaType streaming : this.streamingMediaTypes) {
			if (streaming.isCompatibleWith(mediaType)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The try has its connection to the server: its bytes are counted from here, and the
	 * time it waited for it recorded.
	 */
	private void connectionReady(Attempt attempt, Channel channel) {
		ServerBytes.count(channel, attempt.server().traffic());
		attempt.connectionReady(this.nanoClock.getAsLong(), channel.attr(PoolClient.CONNECT_STARTED).getAndSet(null));
	}

	/** The try's time limit: the try timeout, or what is left of the response timeout. */
	private @Nullable Duration tryTimeout(long now) {
		Duration perTry = this.pool.tryTimeout();
		if (!this.hasDeadline) {
			return perTry;
		}
		long left = Math.max(1, this.deadline - now);
		return (perTry != null && perTry.toNanos() < left) ? perTry : Duration.ofNanos(left);
	}

	// The request's path (as rewritten by the route's filters) and query, encoded as
	// received.
	private String sentPath() {
		java.net.URI uri = this.request.getURI();
		String path = uri.getRawPath();
		String query = uri.getRawQuery();
		String sent = (path == null || path.isEmpty()) ? "/" : path;
		return (query != null) ? sent + "?" + query : sent;
	}

	private UpstreamException failure(UpstreamFailure failure, @Nullable Throwable cause) {
		return new UpstreamException(failure, this.pool.name(), cause);
	}

	/**
	 * Whether a request has a body: when it says how long it is or that it comes in
	 * chunks.
	 * @param emptyCounts whether a Content-Length of 0 counts as a body (to send it on)
	 */
	private static boolean hasBody(HttpHeaders headers, boolean emptyCounts) {
		long length = headers.getContentLength();
		return (emptyCounts ? length >= 0 : length > 0) || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
	}

}

package io.junction.proxy;

import io.junction.pools.PoolQueue;
import io.junction.pools.PoolServer;
import io.netty.handler.codec.http.HttpResponse;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;

/**
 * One try of a request on one server, from the moment the balancer chose the server: owns
 * the try's place in the server's in-flight count, its timing (times are
 * {@link System#nanoTime()}, 0 for a step not reached), its bytes and how it failed.
 * Metrics, the access log and the passive checks read it rather than each working out its
 * own. A try's steps follow one another on the event loop; only {@link #serverDown()}
 * comes from another thread.
 */
public final class Attempt implements PoolServer.InFlight {

	private final PoolServer server;

	private final String sentPath;

	private final long started;

	private long connectStarted;

	private long connectionReady;

	private long responseStarted;

	private long responseBodyBytes;

	private int status = -1;

	private @Nullable UpstreamFailure failure;

	private volatile @Nullable Termination sessionEnd;

	private long clientFrameBytes;

	private @Nullable WebSocketTunnel tunnel;

	private io.netty.handler.codec.http.@Nullable HttpHeaders upgradeHeaders;

	private @Nullable HttpClientResponse response;

	private @Nullable Connection connection;

	// Set while the try waits for the response headers: cuts it short.
	private volatile @Nullable Runnable cancelWait;

	private volatile boolean ended;

	private final PoolQueue queue;

	private final long queuedNanos;

	/**
	 * A try on {@code server}, not yet in flight: {@link #start()} puts it there.
	 * @param queue the queue of the server's pool, told when the try ends
	 * @param queuedNanos how long the request waited in that queue for this try
	 */
	Attempt(PoolServer server, String sentPath, long started, PoolQueue queue, long queuedNanos) {
		this.server = server;
		this.sentPath = sentPath;
		this.started = started;
		this.queue = queue;
		this.queuedNanos = queuedNanos;
	}

	/**
	 * Puts the try in flight to its server, if the server has a free slot under its
	 * {@code max-connections}; returns whether it had.
	 */
	boolean start() {
		return this.server.started(this);
	}

	/** The server tried. */
	public PoolServer server() {
		return this.server;
	}

	/** The path and query sent to the server, as encoded on the wire. */
	public String sentPath() {
		return this.sentPath;
	}

	/** When the balancer chose the server. */
	public long started() {
		return this.started;
	}

	/**
	 * The connection is ready and the request about to be sent.
	 * @param connectStarted when a new connection started connecting, or null when a
	 * pooled connection was reused
	 */
	void connectionReady(long now, @Nullable Long connectStarted) {
		this.connectionReady = now;
		// A connection that the pool started opening before this try began (for a request
		// that gave up) counts as opened from the try's start.
		this.connectStarted = (connectStarted != null) ? Math.max(connectStarted, this.started) : 0;
	}

	/** The server's response headers arrived. */
	void responded(long now, HttpClientResponse response, Connection connection) {
		this.responseStarted = now;
		this.status = response.status().code();
		this.response = response;
		this.connection = connection;
	}

	void failed(UpstreamFailure failure) {
		this.failure = failure;
	}

	void bodyReceived(int bytes) {
		this.responseBodyBytes += bytes;
	}

	/**
	 * Time waited in the pool's queue for a server and then for a connection from the
	 * connection pool (HAProxy's Tw); -1 if the try had no connection and did not queue.
	 */
	public long waitNanos() {
		long waited = (this.connectStarted != 0) ? this.connectStarted : this.connectionReady;
		if (waited == 0) {
			return (this.queuedNanos != 0) ? this.queuedNanos : -1;
		}
		return this.queuedNanos + waited - this.started;
	}

	/** Time to open a new connection: 0 when one was reused, -1 if none was had. */
	public long connectNanos() {
		if (this.connectionReady == 0) {
			return -1;
		}
		return (this.connectStarted != 0) ? this.connectionReady - this.connectStarted : 0;
	}

	/** Time from sending the request to the response headers, or -1 if none came. */
	public long responseNanos() {
		return (this.responseStarted != 0 && this.connectionReady != 0) ? this.responseStarted - this.connectionReady
				: -1;
	}

	/** Time from the server's choice to its response headers, or -1 if none came. */
	long headersNanos() {
		return (this.responseStarted != 0) ? this.responseStarted - this.started : -1;
	}

	/** The response's status, or -1 before its headers. */
	public int status() {
		return this.status;
	}

	/**
	 * Bytes of the response body passed on to the client (of WebSocket frames, for a
	 * session).
	 */
	public long responseBodyBytes() {
		return this.responseBodyBytes;
	}

	/**
	 * How the WebSocket session of this try ended: who closed it; null for a plain
	 * request, or a session still open.
	 */
	public @Nullable Termination sessionEnd() {
		return this.sessionEnd;
	}

	/** Bytes of WebSocket frames from the client to the server. */
	public long clientFrameBytes() {
		return this.clientFrameBytes;
	}

	/** The server switched to WebSocket: the try goes on as a session. */
	void upgraded(long now, WebSocketTunnel tunnel, io.netty.handler.codec.http.HttpHeaders headers) {
		this.responseStarted = now;
		this.status = 101;
		this.tunnel = tunnel;
		this.upgradeHeaders = headers;
	}

	/** The server answered a WebSocket upgrade with {@code refusal}, not a 101. */
	void upgradeRefused(long now, HttpResponse refusal) {
		this.responseStarted = now;
		this.status = refusal.status().code();
		this.upgradeHeaders = refusal.headers();
	}

	/** The WebSocket session of the try, once the server switched protocols. */
	@Nullable WebSocketTunnel tunnel() {
		return this.tunnel;
	}

	/** The headers of the server's answer to a WebSocket upgrade. */
	io.netty.handler.codec.http.HttpHeaders upgradeHeaders() {
		io.netty.handler.codec.http.HttpHeaders headers = this.upgradeHeaders;
		if (headers == null) {
			throw new IllegalStateException("no upgrade answer");
		}
		return headers;
	}

	void clientFrame(int bytes) {
		this.clientFrameBytes += bytes;
	}

	void serverFrame(int bytes) {
		this.responseBodyBytes += bytes;
	}

	/** The first side to close the session is the one that ended it. */
	void sessionEnded(Termination end) {
		if (this.sessionEnd == null) {
			this.sessionEnd = end;
		}
	}

	/** How the try failed, or null if it did not (yet). */
	public @Nullable UpstreamFailure failure() {
		return this.failure;
	}

	HttpClientResponse response() {
		HttpClientResponse response = this.response;
		if (response == null) {
			throw new IllegalStateException("no response yet");
		}
		return response;
	}

	Connection connection() {
		Connection connection = this.connection;
		if (connection == null) {
			throw new IllegalStateException("no response yet");
		}
		return connection;
	}

	/** While the try waits for its response headers, {@code cancel} cuts it short. */
	void cancelWaitWith(@Nullable Runnable cancel) {
		this.cancelWait = cancel;
	}

	@Override
	public void serverDown() {
		Runnable cancel = this.cancelWait;
		if (cancel != null) {
			cancel.run();
		}
		else {
			// Past the headers: the body of a server that is down will not come whole.
			Connection connection = this.connection;
			if (connection != null && !this.ended) {
				connection.dispose();
			}
		}
	}

	/** Drops the response, which will not reach the client, and its connection. */
	void discard() {
		Disposable connection = this.connection;
		if (connection != null) {
			connection.dispose();
		}
		end();
	}

	/** The try is over: it leaves the server's in-flight count. Idempotent. */
	void end() {
		WebSocketTunnel tunnel = this.tunnel;
		if (tunnel != null) {
			tunnel.finish();
		}
		if (!this.ended) {
			this.ended = true;
			this.cancelWait = null;
			this.server.ended(this);
			// A request waiting for a server may take the slot.
			this.queue.slotFreed();
		}
	}

}

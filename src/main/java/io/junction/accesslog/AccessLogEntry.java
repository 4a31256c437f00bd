package io.junction.accesslog;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

import io.netty.channel.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.spi.LoggingEventBuilder;
import reactor.netty.http.client.PrematureCloseException;
import reactor.util.context.ContextView;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ResponseStatusException;

/**
 * What the access log learns of one request while it runs: plain fields filled in on the
 * event loop (times are {@link System#nanoTime()}, 0 for a step not reached), turned into
 * a line only on the writer thread. Each step of a request happens after the one before
 * it, so one request's fields are never written concurrently.
 */
final class AccessLogEntry {

	/** Key of the entry in the Reactor context of the request. */
	static final Class<AccessLogEntry> CONTEXT_KEY = AccessLogEntry.class;

	/** Name of the exchange attribute that holds the entry once the route is chosen. */
	static final String ATTRIBUTE = AccessLogEntry.class.getName();

	private static final String NONE = "-";

	private final long received;

	private final @Nullable InetSocketAddress client;

	private final @Nullable List<String> forwardedFor;

	private final HttpMethod method;

	private final URI uri;

	private long routed;

	private @Nullable String route;

	private @Nullable String pool;

	private int attempts;

	private @Nullable ServiceInstance server;

	private @Nullable URI sentUri;

	private long attemptStarted;

	private long connectStarted;

	private long connectionReady;

	private long responseStarted;

	private long bytesIn;

	private long bytesOut;

	private @Nullable Throwable error;

	private boolean clientAborted;

	private long finished;

	private int status;

	AccessLogEntry(long received, ServerHttpRequest request) {
		this.received = received;
		this.client = request.getRemoteAddress();
		this.forwardedFor = request.getHeaders().get("X-Forwarded-For");
		this.method = request.getMethod();
		this.uri = request.getURI();
	}

	/** The entry of the request whose Reactor context this is, if it is logged. */
	static @Nullable AccessLogEntry of(ContextView context) {
		return context.getOrDefault(CONTEXT_KEY, null);
	}

	void routed(long now, @Nullable Route route) {
		this.routed = now;
		if (route != null) {
			this.route = route.getId();
			URI target = route.getUri();
			this.pool = ("lb".equals(target.getScheme())) ? target.getHost() : null;
		}
	}

	/** A new attempt to send the request, after the load balancer chose a server. */
	void attempt(long now, @Nullable ServiceInstance server, @Nullable URI sentUri) {
		this.attempts++;
		this.attemptStarted = now;
		this.connectStarted = 0;
		this.connectionReady = 0;
		this.responseStarted = 0;
		this.server = server;
		this.sentUri = sentUri;
	}

	/**
	 * The connection is ready and the request about to be sent.
	 * @param connectStarted when a new connection started connecting, or null when a
	 * pooled connection was reused
	 */
	void connectionReady(long now, @Nullable Long connectStarted) {
		this.connectionReady = now;
		// A connection that the pool started opening before this attempt began (for a
		// request that gave up) counts as opened from the attempt's start.
		this.connectStarted = (connectStarted != null) ? Math.max(connectStarted, this.attemptStarted) : 0;
	}

	/** The server's response headers arrived. */
	void responseStarted(long now) {
		this.responseStarted = now;
	}

	void received(DataBuffer buffer) {
		this.bytesIn += buffer.readableByteCount();
	}

	void sent(DataBuffer buffer) {
		this.bytesOut += buffer.readableByteCount();
	}

	/** The routed request failed; the last failure is the one that ended it. */
	void failed(Throwable error) {
		this.error = error;
	}

	/** Writing the response to the client failed. */
	void writeFailed(Throwable error) {
		if (error instanceof PrematureCloseException) {
			// The server's body broke off, not the client.
			this.error = error;
		}
		else {
			this.clientAborted = true;
		}
	}

	/**
	 * The request is over.
	 * @param committed whether a response was sent
	 * @param cancelled whether the client went away first
	 */
	void finished(long now, @Nullable HttpStatusCode status, boolean committed, boolean cancelled) {
		this.finished = now;
		// A client that left before any response got none: -1, as HAProxy logs it.
		this.status = (cancelled && !committed) ? -1 : (status != null) ? status.value() : 200;
		this.clientAborted |= cancelled;
	}

	Termination termination() {
		if (this.clientAborted) {
			return Termination.CLIENT_ABORT;
		}
		Throwable error = this.error;
		if (error != null) {
			return classify(error);
		}
		if (this.route == null && this.status == 404) {
			return Termination.NO_ROUTE;
		}
		if (this.attempts == 0 && this.status >= 500) {
			return Termination.INTERNAL_ERROR;
		}
		return Termination.OK;
	}

	private Termination classify(Throwable error) {
		if (error instanceof ConnectException || error instanceof ConnectTimeoutException
				|| error instanceof UnknownHostException || error instanceof NoRouteToHostException) {
			return Termination.CONNECT_FAILED;
		}
		if (error instanceof ResponseStatusException statusError) {
			return switch (statusError.getStatusCode().value()) {
				// Thrown by the load balancer filter when it finds no server.
				case 503 -> Termination.NO_SERVER;
				// Thrown by the routing filter at the response timeout.
				case 504 -> Termination.SERVER_TIMEOUT;
				case 404 -> (this.route == null) ? Termination.NO_ROUTE : Termination.INTERNAL_ERROR;
				default -> Termination.INTERNAL_ERROR;
			};
		}
		if (error instanceof IOException) {
			// PrematureCloseException, a reset or an aborted connection to the server.
			return Termination.SERVER_ERROR;
		}
		return Termination.INTERNAL_ERROR;
	}

	/** Time from the request's arrival to the choice of its route, in nanoseconds. */
	long routeTime() {
		return (this.routed != 0) ? this.routed - this.received : -1;
	}

	/** Time the last attempt waited for a connection from the pool. */
	long waitTime() {
		if (this.attemptStarted == 0) {
			return -1;
		}
		long waited = (this.connectStarted != 0) ? this.connectStarted : this.connectionReady;
		return (waited != 0) ? waited - this.attemptStarted : -1;
	}

	/** Time the last attempt took to open a connection: 0 when it reused one. */
	long connectTime() {
		if (this.connectionReady == 0) {
			return -1;
		}
		return (this.connectStarted != 0) ? this.connectionReady - this.connectStarted : 0;
	}

	/** Time from sending the last attempt to the server's response headers. */
	long responseTime() {
		return (this.responseStarted != 0 && this.connectionReady != 0) ? this.responseStarted - this.connectionReady
				: -1;
	}

	long totalTime() {
		return this.finished - this.received;
	}

	int retries() {
		return Math.max(0, this.attempts - 1);
	}

	/**
	 * Appends the plain line: client, route, pool/server, server address, timings
	 * route/wait/connect/response/total in ms, status, bytes in and out, retries,
	 * termination, "method path", "path sent", "X-Forwarded-For".
	 */
	void appendPlain(StringBuilder line) {
		line.append(client()).append(' ');
		line.append(orNone(this.route)).append(' ');
		line.append(orNone(this.pool)).append('/').append(orNone(serverName())).append(' ');
		line.append(orNone(serverAddress())).append(' ');
		appendMillis(line, routeTime()).append('/');
		appendMillis(line, waitTime()).append('/');
		appendMillis(line, connectTime()).append('/');
		appendMillis(line, responseTime()).append('/');
		appendMillis(line, totalTime()).append(' ');
		line.append(this.status).append(' ');
		line.append(this.bytesIn).append(' ').append(this.bytesOut).append(' ');
		line.append(retries()).append(' ');
		line.append(termination().label()).append(' ');
		line.append('"').append(this.method.name()).append(' ');
		appendQuoted(line, path()).append("\" \"");
		appendQuoted(line, orNone(sentPath())).append("\" \"");
		appendQuoted(line, orNone(forwardedFor())).append('"');
	}

	/** Adds every field as a key-value pair, for structured (JSON) logging. */
	void addKeyValues(LoggingEventBuilder event) {
		event.addKeyValue("client", client())
			.addKeyValue("x_forwarded_for", forwardedFor())
			.addKeyValue("route", this.route)
			.addKeyValue("pool", this.pool)
			.addKeyValue("server", serverName())
			.addKeyValue("server_address", serverAddress())
			.addKeyValue("method", this.method.name())
			.addKeyValue("path", path())
			.addKeyValue("path_sent", sentPath())
			.addKeyValue("status", this.status)
			.addKeyValue("bytes_in", this.bytesIn)
			.addKeyValue("bytes_out", this.bytesOut)
			.addKeyValue("time_route_ms", millis(routeTime()))
			.addKeyValue("time_wait_ms", millis(waitTime()))
			.addKeyValue("time_connect_ms", millis(connectTime()))
			.addKeyValue("time_response_ms", millis(responseTime()))
			.addKeyValue("time_total_ms", millis(totalTime()))
			.addKeyValue("retries", retries())
			.addKeyValue("termination", termination().label());
	}

	private String client() {
		InetSocketAddress client = this.client;
		if (client == null) {
			return NONE;
		}
		String host = (client.getAddress() != null) ? client.getAddress().getHostAddress() : client.getHostString();
		return (host.indexOf(':') >= 0) ? "[" + host + "]:" + client.getPort() : host + ":" + client.getPort();
	}

	private @Nullable String forwardedFor() {
		List<String> values = this.forwardedFor;
		if (values == null || values.isEmpty()) {
			return null;
		}
		return (values.size() == 1) ? values.get(0) : String.join(", ", values);
	}

	private @Nullable String serverName() {
		ServiceInstance server = this.server;
		return (server != null) ? server.getInstanceId() : null;
	}

	private @Nullable String serverAddress() {
		ServiceInstance server = this.server;
		if (server != null) {
			return server.getHost() + ":" + server.getPort();
		}
		URI sent = this.sentUri;
		return (sent != null && sent.getHost() != null) ? sent.getHost() + ":" + sent.getPort() : null;
	}

	private String path() {
		return pathAndQuery(this.uri);
	}

	private @Nullable String sentPath() {
		URI sent = this.sentUri;
		return (sent != null) ? pathAndQuery(sent) : null;
	}

	private static String pathAndQuery(URI uri) {
		String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
		return (uri.getRawQuery() != null) ? path + "?" + uri.getRawQuery() : path;
	}

	private static String orNone(@Nullable String value) {
		return (value != null) ? value : NONE;
	}

	/** Milliseconds with microsecond precision, or -1 for a step not reached. */
	private static double millis(long nanos) {
		return (nanos < 0) ? -1 : (nanos / 1000) / 1000.0;
	}

	private static StringBuilder appendMillis(StringBuilder line, long nanos) {
		if (nanos < 0) {
			return line.append("-1");
		}
		long micros = nanos / 1000;
		long fraction = micros % 1000;
		line.append(micros / 1000).append('.');
		if (fraction < 100) {
			line.append('0');
		}
		if (fraction < 10) {
			line.append('0');
		}
		return line.append(fraction);
	}

	/** Appends a client-supplied value so that it cannot break the line or its quotes. */
	private static StringBuilder appendQuoted(StringBuilder line, String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				line.append('\\').append(c);
			}
			else if (c < 0x20 || c == 0x7f) {
				line.append('?');
			}
			else {
				line.append(c);
			}
		}
		return line;
	}

}

package io.junction.accesslog;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

import io.junction.proxy.Attempt;
import io.junction.proxy.ClientAddress;
import io.junction.proxy.Forwarding;
import io.junction.proxy.Termination;
import io.junction.proxy.UpstreamFailure;
import org.jspecify.annotations.Nullable;
import org.slf4j.spi.LoggingEventBuilder;
import reactor.netty.http.client.PrematureCloseException;
import reactor.util.context.ContextView;

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

	// The exchange's attributes, where the pipeline leaves the request's tries; read once
	// the request is over.
	private @Nullable Map<String, Object> attributes;

	private long bytesIn;

	private long bytesOut;

	private @Nullable Throwable error;

	private boolean clientAborted;

	private long finished;

	private int status;

	AccessLogEntry(long received, ServerHttpRequest request) {
		this.received = received;
		this.client = ClientAddress.of(request);
		this.forwardedFor = request.getHeaders().get("X-Forwarded-For");
		this.method = request.getMethod();
		this.uri = request.getURI();
	}

	/** The entry of the request whose Reactor context this is, if it is logged. */
	static @Nullable AccessLogEntry of(ContextView context) {
		return context.getOrDefault(CONTEXT_KEY, null);
	}

	void routed(long now, @Nullable Route route, Map<String, Object> attributes) {
		this.routed = now;
		this.attributes = attributes;
		if (route != null) {
			this.route = route.getId();
			URI target = route.getUri();
			this.pool = ("lb".equals(target.getScheme())) ? target.getHost() : null;
		}
	}

	private @Nullable Forwarding forwarding() {
		Map<String, Object> attributes = this.attributes;
		return (attributes != null && attributes.get(Forwarding.ATTRIBUTE) instanceof Forwarding forwarding)
				? forwarding : null;
	}

	private @Nullable Attempt lastAttempt() {
		Forwarding forwarding = forwarding();
		return (forwarding != null) ? forwarding.lastAttempt() : null;
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
		Attempt attempt = lastAttempt();
		Termination sessionEnd = (attempt != null) ? attempt.sessionEnd() : null;
		if (sessionEnd != null) {
			// A WebSocket session: which side closed it.
			return sessionEnd;
		}
		if (this.clientAborted) {
			return Termination.CLIENT_ABORT;
		}
		Throwable error = this.error;
		if (error != null) {
			UpstreamFailure failure = UpstreamFailure.of(error);
			if (failure != null) {
				return failure.termination();
			}
			if (error instanceof ResponseStatusException statusError) {
				return switch (statusError.getStatusCode().value()) {
					// A route to a plain URL that did not answer within Gateway's
					// timeout.
					case 504 -> Termination.SERVER_TIMEOUT;
					case 404 -> (this.route == null) ? Termination.NO_ROUTE : Termination.INTERNAL_ERROR;
					default -> Termination.INTERNAL_ERROR;
				};
			}
			return Termination.INTERNAL_ERROR;
		}
		if (this.route == null && this.status == 404) {
			return Termination.NO_ROUTE;
		}
		if (attempts() == 0 && this.status >= 500) {
			return Termination.INTERNAL_ERROR;
		}
		return Termination.OK;
	}

	// A WebSocket session's frames pass beside the exchange's body.
	private long bytesIn() {
		Attempt attempt = lastAttempt();
		return this.bytesIn + ((attempt != null) ? attempt.clientFrameBytes() : 0);
	}

	private long bytesOut() {
		Attempt attempt = lastAttempt();
		return this.bytesOut + ((attempt != null && attempt.sessionEnd() != null) ? attempt.responseBodyBytes() : 0);
	}

	private int attempts() {
		Forwarding forwarding = forwarding();
		return (forwarding != null) ? forwarding.attempts() : 0;
	}

	/** Time from the request's arrival to the choice of its route, in nanoseconds. */
	long routeTime() {
		return (this.routed != 0) ? this.routed - this.received : -1;
	}

	/** Time the last attempt waited for a connection from the pool. */
	long waitTime() {
		Attempt attempt = lastAttempt();
		return (attempt != null) ? attempt.waitNanos() : -1;
	}

	/** Time the last attempt took to open a connection: 0 when it reused one. */
	long connectTime() {
		Attempt attempt = lastAttempt();
		return (attempt != null) ? attempt.connectNanos() : -1;
	}

	/** Time from sending the last attempt to the server's response headers. */
	long responseTime() {
		Attempt attempt = lastAttempt();
		return (attempt != null) ? attempt.responseNanos() : -1;
	}

	long totalTime() {
		return this.finished - this.received;
	}

	int retries() {
		return Math.max(0, attempts() - 1);
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
		line.append(bytesIn()).append(' ').append(bytesOut()).append(' ');
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
			.addKeyValue("bytes_in", bytesIn())
			.addKeyValue("bytes_out", bytesOut())
			.addKeyValue("time_route_ms", millis(routeTime()))
			.addKeyValue("time_wait_ms", millis(waitTime()))
			.addKeyValue("time_connect_ms", millis(connectTime()))
			.addKeyValue("time_response_ms", millis(responseTime()))
			.addKeyValue("time_total_ms", millis(totalTime()))
			.addKeyValue("retries", retries())
			.addKeyValue("termination", termination().label());
	}

	private String client() {
		return ClientAddress.ipAndPort(this.client);
	}

	private @Nullable String forwardedFor() {
		List<String> values = this.forwardedFor;
		if (values == null || values.isEmpty()) {
			return null;
		}
		return (values.size() == 1) ? values.get(0) : String.join(", ", values);
	}

	private @Nullable String serverName() {
		Attempt attempt = lastAttempt();
		return (attempt != null) ? attempt.server().getName() : null;
	}

	private @Nullable String serverAddress() {
		Attempt attempt = lastAttempt();
		return (attempt != null) ? attempt.server().getHost() + ":" + attempt.server().getPort() : null;
	}

	private String path() {
		return pathAndQuery(this.uri);
	}

	private @Nullable String sentPath() {
		Attempt attempt = lastAttempt();
		return (attempt != null) ? attempt.sentPath() : null;
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

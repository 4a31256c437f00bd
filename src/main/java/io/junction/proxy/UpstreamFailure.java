package io.junction.proxy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.junction.framing.BadResponseFramingException;
import io.junction.pools.RetryPolicy.RetryOn;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * Every way a try on a server can fail, each mapped once to what Junction does about it:
 * the {@code retry-on} keyword that allows a retry, whether the request may have reached
 * the server, the status and text the client gets when it is the last failure, the access
 * log's termination state, and the reason that the passive checks, the health endpoint
 * and the logs show.
 */
public enum UpstreamFailure {

	/** Nothing listens on the server's port. */
	CONNECTION_REFUSED(RetryOn.CONN_FAILURE, false, HttpStatus.SERVICE_UNAVAILABLE, Termination.CONNECT_FAILED,
			"connection refused"),

	/** The connection was not open within the connect timeout. */
	CONNECT_TIMEOUT(RetryOn.CONN_FAILURE, false, HttpStatus.SERVICE_UNAVAILABLE, Termination.CONNECT_FAILED,
			"connect timeout"),

	/** The server's host name does not resolve. */
	UNKNOWN_HOST(RetryOn.CONN_FAILURE, false, HttpStatus.SERVICE_UNAVAILABLE, Termination.CONNECT_FAILED,
			"unknown host"),

	/** No network path to the server. */
	NO_ROUTE_TO_HOST(RetryOn.CONN_FAILURE, false, HttpStatus.SERVICE_UNAVAILABLE, Termination.CONNECT_FAILED,
			"no route to host"),

	/**
	 * The connection opened but the TLS handshake failed (untrusted certificate, no
	 * common protocol): nothing of the request was sent.
	 */
	TLS_HANDSHAKE(RetryOn.CONN_FAILURE, false, HttpStatus.BAD_GATEWAY, Termination.TLS_FAILED, "TLS handshake failed"),

	/** No response headers within the try timeout or the response timeout. */
	RESPONSE_TIMEOUT(RetryOn.RESPONSE_TIMEOUT, true, HttpStatus.GATEWAY_TIMEOUT, Termination.SERVER_TIMEOUT,
			"response timeout"),

	/** The server closed the connection before its response headers. */
	CLOSED_BEFORE_RESPONSE(RetryOn.EMPTY_RESPONSE, true, HttpStatus.BAD_GATEWAY, Termination.SERVER_ERROR,
			"connection closed before the response"),

	/** The connection broke (reset, or another I/O error) before the response headers. */
	CONNECTION_RESET(RetryOn.EMPTY_RESPONSE, true, HttpStatus.BAD_GATEWAY, Termination.SERVER_ERROR,
			"connection reset"),

	/**
	 * The server's response was refused before any of it reached the client: its framing
	 * could be read two ways (Content-Length with Transfer-Encoding, two lengths, bare
	 * LF, ...) or it is not HTTP/1.x ({@code framing.StrictResponseFraming}). Its
	 * connection is closed. HAProxy's "junk response".
	 */
	BAD_RESPONSE(RetryOn.JUNK_RESPONSE, true, HttpStatus.BAD_GATEWAY, Termination.BAD_RESPONSE, "bad response framing"),

	/**
	 * Its checks marked the server DOWN, or ejected it, while the request waited for it
	 * ({@code on-down: cancel}). Retried whatever {@code retry-on} says, under the rules
	 * of a request that was sent.
	 */
	SERVER_DOWN(null, true, HttpStatus.BAD_GATEWAY, Termination.SERVER_DOWN, "server marked down"),

	/**
	 * The server answered a WebSocket upgrade with something other than 101 Switching
	 * Protocols.
	 */
	UPGRADE_REFUSED(null, true, HttpStatus.BAD_GATEWAY, Termination.SERVER_ERROR, "WebSocket upgrade refused"),

	/** No server of the pool may take the request: nothing was tried. */
	NO_SERVER(null, false, HttpStatus.SERVICE_UNAVAILABLE, Termination.NO_SERVER, "no server available"),

	/**
	 * Every server that may take the request holds its {@code max-connections}, and the
	 * pool's queue its {@code queue-size}: nothing was tried.
	 */
	QUEUE_FULL(null, false, HttpStatus.SERVICE_UNAVAILABLE, Termination.QUEUE_FULL, "queue full"),

	/**
	 * The request waited {@code queue-timeout} in the pool's queue and no server freed a
	 * slot for it (HAProxy {@code timeout queue}).
	 */
	QUEUE_TIMEOUT(null, false, HttpStatus.SERVICE_UNAVAILABLE, Termination.QUEUE_TIMEOUT, "queue timeout");

	private final @Nullable RetryOn retryOn;

	private final boolean sent;

	private final HttpStatus status;

	private final Termination termination;

	private final String reason;

	UpstreamFailure(@Nullable RetryOn retryOn, boolean sent, HttpStatus status, Termination termination,
			String reason) {
		this.retryOn = retryOn;
		this.sent = sent;
		this.status = status;
		this.termination = termination;
		this.reason = reason;
	}

	/**
	 * The failure that {@code error}, raised while trying a server, stands for; null when
	 * the server is not at fault (a bug, or the client went away).
	 */
	public static @Nullable UpstreamFailure of(Throwable error) {
		if (error instanceof UpstreamException upstream) {
			return upstream.failure();
		}
		if (error instanceof ConnectTimeoutException) {
			return CONNECT_TIMEOUT;
		}
		if (error instanceof NoRouteToHostException) {
			return NO_ROUTE_TO_HOST;
		}
		if (error instanceof ConnectException) {
			return CONNECTION_REFUSED;
		}
		if (error instanceof UnknownHostException) {
			return UNKNOWN_HOST;
		}
		if (error instanceof BadResponseFramingException) {
			return BAD_RESPONSE;
		}
		if (error instanceof WebSocketClientHandshakeException) {
			return UPGRADE_REFUSED;
		}
		if (error instanceof SSLException) {
			return TLS_HANDSHAKE;
		}
		if (error instanceof TimeoutException || error instanceof ReadTimeoutException) {
			return RESPONSE_TIMEOUT;
		}
		if (error instanceof reactor.netty.http.client.PrematureCloseException) {
			return CLOSED_BEFORE_RESPONSE;
		}
		if (error instanceof IOException || error instanceof reactor.netty.channel.AbortedException) {
			return CONNECTION_RESET;
		}
		return null;
	}

	/**
	 * Why {@code error} failed the try, for health details and logs: the reason, and for
	 * a failed TLS handshake what the TLS layer said (an untrusted certificate, a name
	 * that does not match), for a refused response what was wrong with it, which an
	 * operator needs to fix it.
	 */
	public String describe(Throwable error) {
		if (this == BAD_RESPONSE) {
			Throwable cause = error;
			while (cause != null && !(cause instanceof BadResponseFramingException)) {
				cause = (cause.getCause() != cause) ? cause.getCause() : null;
			}
			return (cause != null) ? this.reason + ": " + cause.getMessage() : this.reason;
		}
		if (this != TLS_HANDSHAKE) {
			return this.reason;
		}
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String detail = root.getMessage();
		return (detail != null) ? this.reason + ": " + detail : this.reason;
	}

	/** The retry-on keyword that lets it be retried, or null if none governs it. */
	public @Nullable RetryOn retryOn() {
		return this.retryOn;
	}

	/**
	 * Whether the request may have reached the server: then only an idempotent request
	 * whose body can be sent again is retried.
	 */
	public boolean mayHaveBeenSent() {
		return this.sent;
	}

	/** Whether the connection could not be opened: nothing was sent. */
	public boolean isConnectFailure() {
		return this.retryOn == RetryOn.CONN_FAILURE;
	}

	/** The status the client gets when this is what ended its request. */
	public HttpStatus status() {
		return this.status;
	}

	/** The access log's termination state. */
	public Termination termination() {
		return this.termination;
	}

	/** Why it failed, in a few words: for passive checks, health details and logs. */
	public String reason() {
		return this.reason;
	}

	/**
	 * What the client is told, after the status and the route: never an address, never a
	 * stack trace.
	 * @param pool the pool's name, or null for a route to a plain URL
	 */
	public String clientText(@Nullable String pool) {
		return switch (this) {
			case CONNECTION_REFUSED, CONNECT_TIMEOUT, UNKNOWN_HOST, NO_ROUTE_TO_HOST, NO_SERVER ->
				"no server of " + ((pool != null) ? "pool '" + pool + "'" : "the route") + " is available";
			case TLS_HANDSHAKE -> "the TLS handshake with the server failed";
			case RESPONSE_TIMEOUT -> "the server did not answer in time";
			case CLOSED_BEFORE_RESPONSE, CONNECTION_RESET -> "the server closed the connection before answering";
			case BAD_RESPONSE -> "the server sent an invalid response";
			case SERVER_DOWN -> "the server went down before answering";
			case UPGRADE_REFUSED -> "the server did not complete the WebSocket upgrade";
			case QUEUE_FULL -> "every server of pool '" + pool + "' is busy and too many requests wait";
			case QUEUE_TIMEOUT -> "no server of pool '" + pool + "' was free in time";
		};
	}

}

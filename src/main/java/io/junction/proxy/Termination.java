package io.junction.proxy;

/**
 * Who ended a request and why: a readable take on HAProxy's two-letter termination state,
 * as the access log writes it.
 */
public enum Termination {

	/** The response reached the client, whatever its status (HAProxy {@code --}). */
	OK("ok"),

	/**
	 * The client closed the connection before the response was complete (HAProxy
	 * {@code CD}, {@code CH}).
	 */
	CLIENT_ABORT("client-abort"),

	/** No route matches the request: 404 (HAProxy has none; a missing backend). */
	NO_ROUTE("no-route"),

	/**
	 * No server of the pool could take the request, every one DOWN: 503 (HAProxy
	 * {@code SC} with no server, {@code <NOSRV>}).
	 */
	NO_SERVER("no-server"),

	/**
	 * Every server was full and so was the pool's queue: 503 at once (HAProxy {@code sQ}
	 * with a full queue).
	 */
	QUEUE_FULL("queue-full"),

	/**
	 * The request waited in the pool's queue until {@code queue-timeout}: 503 (HAProxy
	 * {@code sQ}).
	 */
	QUEUE_TIMEOUT("queue-timeout"),

	/**
	 * The connection to the last server tried could not be opened: 503 (HAProxy
	 * {@code SC}).
	 */
	CONNECT_FAILED("connect-failed"),

	/**
	 * The server did not send its response headers within the response timeout: 504
	 * (HAProxy {@code sH}).
	 */
	SERVER_TIMEOUT("server-timeout"),

	/**
	 * The server closed or reset the connection before or while answering: 502, or a cut
	 * response (HAProxy {@code SH}, {@code SD}).
	 */
	SERVER_ERROR("server-error"),

	/**
	 * The server's response was refused for its framing (ambiguous, or not HTTP/1.x): 502
	 * (HAProxy {@code PH}).
	 */
	BAD_RESPONSE("bad-response"),

	/**
	 * The TLS handshake with the server failed: 502 (HAProxy {@code SC} with an SSL
	 * error).
	 */
	TLS_FAILED("tls-failed"),

	/**
	 * The server was marked DOWN or ejected while the request waited for it, and the
	 * request could not be retried: 502 (HAProxy {@code SD} after
	 * {@code shutdown-sessions}).
	 */
	SERVER_DOWN("server-down"),

	/**
	 * A WebSocket session (101) that the client closed, or whose connection the client
	 * dropped (HAProxy {@code CD} on a tunnel).
	 */
	CLIENT_CLOSED("client-closed"),

	/**
	 * A WebSocket session (101) that the server closed, or whose connection the server
	 * dropped (HAProxy {@code SD} on a tunnel).
	 */
	SERVER_CLOSED("server-closed"),

	/**
	 * A WebSocket session (101) that Junction closed with 1001 (going away) on shutdown,
	 * after the drain delay.
	 */
	DRAINED("drained"),

	/** Junction itself failed: 500 (HAProxy {@code I}, internal error). */
	INTERNAL_ERROR("internal-error");

	private final String label;

	Termination(String label) {
		this.label = label;
	}

	/** The word written in the access log. */
	public String label() {
		return this.label;
	}

}

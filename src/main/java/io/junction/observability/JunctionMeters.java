package io.junction.observability;

/**
 * Every meter Junction registers, with its Prometheus name. Server meters are tagged with
 * {@code pool} and {@code server}, route meters with {@code route}; responses also with
 * {@code code} ({@code 1xx} to {@code 5xx}, or {@code other}).
 */
public enum JunctionMeters {

	/** {@code junction_server_up}: 1 when active checks hold the server UP, else 0. */
	SERVER_UP("junction.server.up", "1 when active checks hold the server UP, else 0"),

	/**
	 * {@code junction_server_available}: 1 when the server takes new requests, else 0.
	 */
	SERVER_AVAILABLE("junction.server.available",
			"1 when the server is UP, not ejected, READY and weighted above 0, else 0"),

	/**
	 * {@code junction_server_admin_state}: 1 for the server's admin state (tag
	 * {@code state}: READY, DRAIN or MAINT), 0 for the other two.
	 */
	SERVER_ADMIN_STATE("junction.server.admin.state", "1 for the admin state the operator set, else 0"),

	/** {@code junction_server_weight}: the server's weight, 0 to 256. */
	SERVER_WEIGHT("junction.server.weight", "Weight of the server in its pool's round robin, 0 to 256"),

	/** {@code junction_server_current_requests}: requests in flight now. */
	SERVER_CURRENT_REQUESTS("junction.server.current.requests", "Requests sent to the server and not yet over"),

	/** {@code junction_server_max_requests}: the most requests in flight at once. */
	SERVER_MAX_REQUESTS("junction.server.max.requests", "The most requests in flight at once since start"),

	/** {@code junction_server_requests_total}: requests sent, retried ones included. */
	SERVER_REQUESTS("junction.server.requests", "Requests sent to the server, each attempt counted"),

	/** {@code junction_server_responses_total}: responses by status class. */
	SERVER_RESPONSES("junction.server.responses", "Responses of the server by status class"),

	/** {@code junction_server_connection_errors_total}: connections not opened. */
	SERVER_CONNECTION_ERRORS("junction.server.connection.errors",
			"Attempts whose connection to the server could not be opened"),

	/** {@code junction_server_response_errors_total}: sent, but no response. */
	SERVER_RESPONSE_ERRORS("junction.server.response.errors",
			"Requests sent that got no response: timeout, or connection closed or reset"),

	/** {@code junction_server_request_bytes_total}: bytes written to the server. */
	SERVER_REQUEST_BYTES("junction.server.request", "Bytes written to the server, headers included"),

	/** {@code junction_server_response_bytes_total}: bytes read from the server. */
	SERVER_RESPONSE_BYTES("junction.server.response", "Bytes read from the server, headers included"),

	/** {@code junction_server_response_time_seconds}: time to the response headers. */
	SERVER_RESPONSE_TIME("junction.server.response.time", "Time from sending a request to the response headers"),

	/** {@code junction_server_check_failures_total}: failed active checks. */
	SERVER_CHECK_FAILURES("junction.server.check.failures", "Failed active health checks"),

	/** {@code junction_server_check_duration_seconds}: the last active check's time. */
	SERVER_CHECK_DURATION("junction.server.check.duration", "How long the last active health check took"),

	/**
	 * {@code junction_server_last_change_timestamp_seconds}: when the server last went
	 * UP, DOWN or ejected.
	 */
	SERVER_LAST_CHANGE("junction.server.last.change.timestamp",
			"When the server last went UP, DOWN or was ejected, in seconds since the epoch"),

	/** {@code junction_server_ejections_total}: ejections by passive checks. */
	SERVER_EJECTIONS("junction.server.ejections", "Times passive checks ejected the server"),

	/**
	 * {@code junction_server_retries_total}: requests retried elsewhere after being sent
	 * here.
	 */
	SERVER_RETRIES("junction.server.retries", "Requests retried on another server after this one failed them"),

	/**
	 * {@code junction_server_redispatches_total}: requests sent elsewhere after a refused
	 * connection.
	 */
	SERVER_REDISPATCHES("junction.server.redispatches",
			"Requests sent to another server after this one could not be connected to"),

	/**
	 * {@code junction_server_max_connections}: the most requests the server may have in
	 * flight ({@code max-connections}), 0 for no limit.
	 */
	SERVER_MAX_CONNECTIONS("junction.server.max.connections",
			"The most requests the server may have in flight (max-connections), 0 for no limit"),

	/** {@code junction_pool_queue_requests}: requests waiting in the pool's queue now. */
	POOL_QUEUE_REQUESTS("junction.pool.queue.requests", "Requests waiting in the pool's queue for a server now"),

	/**
	 * {@code junction_pool_queue_wait_seconds}: how long the requests that left the queue
	 * for a server waited ({@code _count} and {@code _sum}).
	 */
	POOL_QUEUE_WAIT("junction.pool.queue.wait", "Time the requests that left the pool's queue for a server waited"),

	/**
	 * {@code junction_pool_queue_refused_total}: requests answered 503 by the pool's
	 * queue, by {@code reason}: {@code full} (at once, {@code queue-size} waiting) or
	 * {@code timeout} (after {@code queue-timeout}).
	 */
	POOL_QUEUE_REFUSED("junction.pool.queue.refused",
			"Requests answered 503 by the pool's queue: full at once, or after waiting queue-timeout"),

	/**
	 * {@code junction_connections_open}: client connections open on the traffic port now,
	 * at most {@code junction.limits.max-connections}.
	 */
	CONNECTIONS_OPEN("junction.connections.open", "Client connections open on the traffic port"),

	/**
	 * {@code junction_connections_limit_reached_total}: times the traffic port reached
	 * {@code junction.limits.max-connections} and left new connections waiting.
	 */
	CONNECTIONS_LIMIT_REACHED("junction.connections.limit.reached",
			"Times the traffic port reached junction.limits.max-connections and left new connections waiting"),

	/** {@code junction_route_requests_total}: requests the route handled. */
	ROUTE_REQUESTS("junction.route.requests", "Requests the route handled"),

	/** {@code junction_route_responses_total}: responses to clients by status class. */
	ROUTE_RESPONSES("junction.route.responses", "Responses of the route to clients by status class"),

	/** {@code junction_route_errors_total}: requests answered with a 5xx. */
	ROUTE_ERRORS("junction.route.errors", "Requests of the route answered with a 5xx, the server's or Junction's own"),

	/** {@code junction_route_request_duration_seconds}: time to the response's end. */
	ROUTE_REQUEST_DURATION("junction.route.request.duration", "Time from routing a request to the end of its response"),

	/**
	 * {@code junction_unrouted_requests_total}: requests on the traffic port that no
	 * route matched (answered 404).
	 */
	UNROUTED_REQUESTS("junction.unrouted.requests",
			"Requests on the traffic port that no route matched (answered 404)"),

	/** {@code junction_websocket_sessions}: WebSocket sessions open now. */
	WEBSOCKET_SESSIONS("junction.websocket.sessions", "WebSocket sessions open now, both sides spliced"),

	/**
	 * {@code junction_refused_requests_total}: requests answered before any route for bad
	 * input (framing, head limits, head timeout, path policy), by {@code status}.
	 */
	REFUSED_REQUESTS("junction.refused.requests",
			"Requests answered before any route for bad input: framing, head limits, head timeout, path policy"),

	/**
	 * {@code junction_config_reloads_total}: reloads of the configuration files by
	 * {@code result}, {@code applied} or {@code rejected}.
	 */
	CONFIG_RELOADS("junction.config.reloads", "Reloads of the configuration files, applied or rejected"),

	/**
	 * {@code junction_discovery_failures_total}: DNS lookups of a pool's servers that
	 * failed, by {@code pool} and {@code reason} ({@code no-such-name},
	 * {@code no-records}, {@code timeout}, {@code failed}); the pool kept its servers.
	 */
	DISCOVERY_FAILURES("junction.discovery.failures",
			"DNS lookups of the pool's servers that failed; the pool kept its last servers");

	private final String name;

	private final String description;

	JunctionMeters(String name, String description) {
		this.name = name;
		this.description = description;
	}

	/** The Micrometer name; Prometheus replaces dots with underscores. */
	public String meterName() {
		return this.name;
	}

	public String description() {
		return this.description;
	}

}

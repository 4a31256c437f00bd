package io.junction.observability;

/**
 * Every meter Junction registers, with its Prometheus name. All are tagged with
 * {@code pool} and {@code server}.
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

	/** {@code junction_server_check_failures_total}: failed active checks. */
	SERVER_CHECK_FAILURES("junction.server.check.failures", "Failed active health checks"),

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
			"Requests sent to another server after this one could not be connected to");

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

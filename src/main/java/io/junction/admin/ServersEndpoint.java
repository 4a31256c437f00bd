package io.junction.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import io.junction.pools.AdminState;
import io.junction.pools.PoolRegistry;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.Rotation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/servers} on the management port: every pool's servers with their
 * health, admin state and weight; and, when {@code junction.admin.enabled} is true,
 * {@code POST /actuator/servers/<pool>/<server>} with {@code state} and/or
 * {@code weight}, as HAProxy's {@code set server <backend>/<server> state} and
 * {@code weight}. Every change is logged with the address of who asked. Nothing is
 * stored: a restart returns to configuration.
 */
@Endpoint(id = "servers")
public class ServersEndpoint {

	private static final Log logger = LogFactory.getLog("io.junction.admin");

	private static final int FORBIDDEN = 403;

	private final PoolRegistry pools;

	private final AdminProperties properties;

	ServersEndpoint(PoolRegistry pools, AdminProperties properties) {
		this.pools = pools;
		this.properties = properties;
	}

	/** Every pool with its servers, and whether changes are allowed. */
	@ReadOperation
	public Map<String, Object> servers() {
		long now = System.nanoTime();
		Map<String, Object> pools = new LinkedHashMap<>();
		for (Pool pool : this.pools.current().all()) {
			Map<String, Object> servers = new LinkedHashMap<>();
			for (PoolServer server : pool.servers()) {
				servers.put(server.getName(), server.details(now));
			}
			pools.put(pool.name(), Map.of("servers", servers));
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("adminEnabled", this.properties.isEnabled());
		body.put("pools", pools);
		return body;
	}

	/**
	 * Sets a server's admin state ({@code ready}, {@code drain} or {@code maint}), its
	 * weight (0 to 256), or both; answers the server as it is then.
	 */
	@WriteOperation
	public Mono<WebEndpointResponse<Map<String, Object>>> set(@Selector String pool, @Selector String server,
			@Nullable String state, @Nullable String weight) {
		return Mono
			.deferContextual((context) -> Mono.just(set(pool, server, state, weight, CallerAddress.of(context))));
	}

	private WebEndpointResponse<Map<String, Object>> set(String poolName, String serverName, @Nullable String state,
			@Nullable String weight, String caller) {
		if (!this.properties.isEnabled()) {
			logger.warn("Refused to change backend " + poolName + " server " + serverName + " (asked by " + caller
					+ "): junction.admin.enabled is false");
			return error(FORBIDDEN,
					"runtime admin is disabled: set junction.admin.enabled=true to change servers at run time");
		}
		Pool pool = this.pools.current().get(poolName);
		if (pool == null) {
			return error(WebEndpointResponse.STATUS_NOT_FOUND, "no pool '" + poolName + "'");
		}
		PoolServer server = pool.server(serverName);
		if (server == null) {
			return error(WebEndpointResponse.STATUS_NOT_FOUND,
					"no server '" + serverName + "' in pool '" + poolName + "'");
		}
		if (state == null && weight == null) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST,
					"give a state (ready, drain or maint), a weight (0 to " + Rotation.MAX_WEIGHT + "), or both");
		}
		AdminState newState = (state != null) ? AdminState.fromName(state) : null;
		if (state != null && newState == null) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST,
					"state '" + state + "' is not one of ready, drain, maint");
		}
		Integer newWeight = (weight != null) ? parseWeight(weight) : null;
		if (weight != null && newWeight == null) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST,
					"weight '" + weight + "' is not a whole number from 0 to " + Rotation.MAX_WEIGHT);
		}
		StringBuilder changes = new StringBuilder();
		if (newState != null) {
			AdminState previous = pool.rotation().setAdminState(server, newState);
			changes.append("state ").append(previous).append(" -> ").append(newState);
		}
		if (newWeight != null) {
			int previous = pool.rotation().setWeight(server, newWeight);
			changes.append((changes.length() > 0) ? ", " : "").append("weight ").append(previous).append(" -> ");
			changes.append(newWeight);
		}
		if (server.state().isCheckPending()) {
			changes.append(", DOWN until its next check passes");
		}
		// A server back in rotation may take requests that wait for one.
		pool.queue().dispatch();
		logger.info("backend " + poolName + " server " + serverName + ": " + changes + " (asked by " + caller + ")");
		return new WebEndpointResponse<>(server.details(System.nanoTime()), WebEndpointResponse.STATUS_OK);
	}

	private static @Nullable Integer parseWeight(String weight) {
		try {
			int value = Integer.parseInt(weight.trim());
			return (value >= 0 && value <= Rotation.MAX_WEIGHT) ? value : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static WebEndpointResponse<Map<String, Object>> error(int status, String message) {
		return new WebEndpointResponse<>(Map.of("message", message), status);
	}

}

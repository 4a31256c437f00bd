package io.junction.config;

import java.util.List;

import io.junction.ConfigurationProblem;
import io.junction.pools.PoolsProperties;

import org.springframework.cloud.gateway.route.RouteDefinition;

/**
 * A configuration as read and checked: its pools and routes, and every problem found. The
 * pools and routes are usable only when there is no problem.
 *
 * @param pools the pools, as bound
 * @param routes the routes, as bound
 * @param problems every problem, in the order of the configuration; empty when it holds
 */
public record CheckedConfiguration(PoolsProperties pools, List<RouteDefinition> routes,
		List<ConfigurationProblem> problems) {

	/** Whether the configuration holds. */
	public boolean isValid() {
		return this.problems.isEmpty();
	}

	/** How many servers the pools list. */
	public int serverCount() {
		int servers = 0;
		for (PoolsProperties.Pool pool : this.pools.getBackends().values()) {
			servers += pool.getServers().size();
		}
		return servers;
	}

}

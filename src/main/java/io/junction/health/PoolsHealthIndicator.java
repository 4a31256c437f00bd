package io.junction.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.junction.pools.PoolRegistry;
import io.junction.pools.Pool;
import io.junction.pools.PoolQueue;
import io.junction.pools.PoolServer;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The pools in {@code /actuator/health}: each pool's servers with their state and the
 * reason of their last failure. Always UP itself: a sick app must never make the ELB pull
 * every gateway, so Junction's own health is about Junction only.
 */
final class PoolsHealthIndicator implements HealthIndicator {

	private final PoolRegistry pools;

	PoolsHealthIndicator(PoolRegistry pools) {
		this.pools = pools;
	}

	@Override
	public Health health() {
		long now = System.nanoTime();
		Health.Builder health = Health.up();
		for (Pool pool : this.pools.current().all()) {
			Map<String, Object> servers = new LinkedHashMap<>();
			for (PoolServer server : pool.servers()) {
				servers.put(server.getName(), server.details(now));
			}
			Map<String, Object> details = new LinkedHashMap<>();
			int available = pool.availableCount(now);
			details.put("state", (available > 0) ? "UP" : "DOWN");
			details.put("available", available + " of " + pool.servers().size());
			details.put("balance", pool.balance().keyword());
			PoolQueue queue = pool.queue();
			if (queue.queued() > 0 || pool.servers().stream().anyMatch((server) -> server.maxConnections() != 0)) {
				details.put("queue", Map.of("waiting", queue.size(), "max", queue.max(), "limit", queue.limit()));
			}
			details.put("servers", servers);
			health.withDetail(pool.name(), details);
		}
		return health.build();
	}

}

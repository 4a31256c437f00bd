package io.junction.balancing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import io.junction.pools.PoolServer;
import io.junction.pools.Rotation;

/**
 * HAProxy's {@code balance roundrobin} with weights: each request takes the next turn of
 * the pool's {@link Rotation} order (smooth weighted round robin; strict round robin in
 * configuration order when the weights are equal) whose server is a candidate. Servers
 * the operator took out of rotation are not in the order at all. One counter per pool,
 * lock-free.
 */
public final class WeightedRoundRobin implements Balancer {

	private final AtomicInteger next = new AtomicInteger();

	@Override
	public @Nullable PoolServer choose(Candidates candidates) {
		int[] order = candidates.order();
		int turns = order.length;
		if (turns == 0) {
			// Every server is drained, in maintenance or weighted 0: the operator's call.
			return null;
		}
		List<PoolServer> servers = candidates.servers();
		// floorMod keeps the index valid once the counter wraps past Integer.MAX_VALUE.
		int start = Math.floorMod(this.next.getAndIncrement(), turns);
		for (int i = 0; i < turns; i++) {
			PoolServer server = servers.get(order[(start + i) % turns]);
			if (candidates.accepts(server)) {
				return server;
			}
		}
		return null;
	}

}

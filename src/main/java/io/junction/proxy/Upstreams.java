package io.junction.proxy;

import java.util.HashMap;
import java.util.Map;

import io.junction.balancing.Balancer;
import io.junction.balancing.WeightedRoundRobin;
import io.junction.pools.Pool;
import io.junction.pools.PoolRegistry;
import org.jspecify.annotations.Nullable;

/**
 * What the request path needs of each pool, found with one lookup: the pool of the
 * current snapshot, its HTTP client and its balancer. Follows the {@link PoolRegistry}:
 * on a swap, a pool whose client settings are unchanged keeps its client (and so its
 * connections) and its balancer; a removed pool's connections are closed.
 */
public final class Upstreams implements PoolRegistry.Listener {

	private volatile Map<String, Upstream> byPool;

	Upstreams(PoolRegistry registry) {
		Map<String, Upstream> upstreams = new HashMap<>();
		for (Pool pool : registry.current().all()) {
			upstreams.put(pool.name(), new Upstream(pool, PoolClient.of(pool), new WeightedRoundRobin()));
		}
		this.byPool = Map.copyOf(upstreams);
		registry.addListener(this);
	}

	/** The pool of that name as it is now, or null when there is none. */
	@Nullable Upstream get(String pool) {
		return this.byPool.get(pool);
	}

	/** The HTTP client for the health checks of {@code pool}. */
	public reactor.netty.http.client.HttpClient checkClient(Pool pool) {
		Upstream upstream = this.byPool.get(pool.name());
		if (upstream == null) {
			throw new IllegalArgumentException("no pool " + pool.name());
		}
		return upstream.client().checks();
	}

	@Override
	public void swapped(PoolRegistry.Swap swap) {
		Map<String, Upstream> previous = this.byPool;
		Map<String, Upstream> next = new HashMap<>();
		for (Pool pool : swap.next().all()) {
			Upstream kept = previous.get(pool.name());
			if (kept != null && kept.client().serves(pool)) {
				next.put(pool.name(), new Upstream(pool, kept.client(), kept.balancer()));
			}
			else {
				next.put(pool.name(), new Upstream(pool, PoolClient.of(pool), new WeightedRoundRobin()));
			}
		}
		this.byPool = Map.copyOf(next);
		previous.forEach((name, upstream) -> {
			Upstream successor = next.get(name);
			if (successor == null || successor.client() != upstream.client()) {
				upstream.client().close();
			}
		});
	}

	/** Closes every pool's connections. */
	void close() {
		this.byPool.values().forEach((upstream) -> upstream.client().close());
	}

	/**
	 * One pool as the request path sees it.
	 *
	 * @param pool the pool, as of one snapshot
	 * @param client its HTTP client
	 * @param balancer its algorithm
	 */
	record Upstream(Pool pool, PoolClient client, Balancer balancer) {
	}

}

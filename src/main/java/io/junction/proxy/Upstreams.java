package io.junction.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.junction.balancing.Balancer;
import io.junction.balancing.Balancers;
import io.junction.pools.Pool;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolServer;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * What the request path needs of each pool, found with one lookup: the pool of the
 * current snapshot, its HTTP client and its balancer. Follows the {@link PoolRegistry}:
 * on a swap, a pool whose client settings are unchanged keeps its client (and so its
 * connections), and one whose {@code balance} is unchanged keeps its balancer.
 *
 * <p>
 * What a swap takes away is retired, not cut: a removed pool stays reachable for the
 * routes that still name it until they are replaced, and the connections of a removed
 * pool, of a replaced client or to a removed server are closed only once nothing is in
 * flight to its servers, so that every request finishes on the configuration it started
 * with.
 */
public final class Upstreams implements PoolRegistry.Listener {

	// Long enough for a request that found its pool just before a swap to have started
	// its try, and for the routes to have been replaced after the pools.
	private static final Duration RETIREMENT_GRACE = Duration.ofSeconds(1);

	private static final Duration RETIREMENT_TICK = Duration.ofMillis(200);

	private volatile Map<String, Upstream> byPool;

	// Removed pools, by name, until their last request is over.
	private final Map<String, Upstream> retiring = new ConcurrentHashMap<>();

	private final Map<Retirement, Disposable> retirements = new ConcurrentHashMap<>();

	Upstreams(PoolRegistry registry) {
		Map<String, Upstream> upstreams = new HashMap<>();
		for (Pool pool : registry.current().all()) {
			upstreams.put(pool.name(), new Upstream(pool, PoolClient.of(pool), Balancers.of(pool)));
		}
		this.byPool = Map.copyOf(upstreams);
		registry.addListener(this);
	}

	/**
	 * The pool of that name as it is now, or as it was if a swap removed it a moment ago;
	 * null when there is none.
	 */
	@Nullable Upstream get(String pool) {
		Upstream upstream = this.byPool.get(pool);
		return (upstream != null) ? upstream : this.retiring.get(pool);
	}

	/** The HTTP client for the health checks of {@code pool}. */
	public reactor.netty.http.client.HttpClient checkClient(Pool pool) {
		Upstream upstream = this.byPool.get(pool.name());
		if (upstream == null) {
			throw new IllegalArgumentException("no pool " + pool.name());
		}
		return upstream.client().checks();
	}

	// Synchronized with the closing of a removed server's connections, so that a server
	// configured again at the same address never loses the connections it is given.
	@Override
	public synchronized void swapped(PoolRegistry.Swap swap) {
		Map<String, Upstream> previous = this.byPool;
		Map<String, Upstream> next = new HashMap<>();
		for (Pool pool : swap.next().all()) {
			Upstream kept = previous.get(pool.name());
			PoolClient client = (kept != null && kept.client().serves(pool)) ? kept.client() : PoolClient.of(pool);
			// The same algorithm goes on with its state (round robin's turn), whatever
			// else changed; another one starts afresh.
			Balancer balancer = (kept != null && Balancers.same(kept.pool(), pool)) ? kept.balancer()
					: Balancers.of(pool);
			next.put(pool.name(), new Upstream(pool, client, balancer));
			this.retiring.remove(pool.name());
		}
		// Retiring before the new map is in place: a request never finds neither.
		previous.forEach((name, upstream) -> {
			if (!next.containsKey(name)) {
				this.retiring.put(name, upstream);
			}
		});
		this.byPool = Map.copyOf(next);
		// New servers or limits may free requests that wait for a server.
		for (Pool pool : swap.next().all()) {
			pool.queue().dispatch();
		}
		previous.forEach((name, upstream) -> {
			Upstream successor = next.get(name);
			if (successor == null) {
				retire(upstream.pool().servers(), () -> {
					this.retiring.remove(name, upstream);
					upstream.client().close();
				});
			}
			else if (successor.client() != upstream.client()) {
				retire(upstream.pool().servers(), upstream.client()::close);
			}
			else {
				for (PoolServer server : upstream.pool().servers()) {
					if (swap.removed().contains(server)) {
						retire(List.of(server), () -> closeConnections(name, upstream.client(), server));
					}
				}
			}
		});
	}

	// Unless the pool has a server at that address again, on the same client.
	private synchronized void closeConnections(String pool, PoolClient client, PoolServer removed) {
		Upstream now = this.byPool.get(pool);
		if (now != null && now.client() == client) {
			for (PoolServer server : now.pool().servers()) {
				if (server.getHost().equals(removed.getHost()) && server.getPort() == removed.getPort()) {
					return;
				}
			}
		}
		client.close(InetSocketAddress.createUnresolved(removed.getHost(), removed.getPort()));
	}

	/**
	 * Runs {@code close} once the grace is over and nothing is in flight to
	 * {@code servers}.
	 */
	private void retire(List<PoolServer> servers, Runnable close) {
		long notBefore = System.nanoTime() + RETIREMENT_GRACE.toNanos();
		BooleanSupplier idle = () -> System.nanoTime() - notBefore >= 0
				&& servers.stream().allMatch((server) -> server.traffic().current() == 0);
		Retirement retirement = new Retirement(idle, close);
		long tick = RETIREMENT_TICK.toMillis();
		this.retirements.put(retirement,
				Schedulers.parallel()
					.schedulePeriodically(() -> retirement.closeIfIdle(this.retirements), tick, tick,
							java.util.concurrent.TimeUnit.MILLISECONDS));
	}

	/** Closes every pool's connections, those being retired too. */
	void close() {
		this.retirements.values().forEach(Disposable::dispose);
		List<Retirement> pending = new ArrayList<>(this.retirements.keySet());
		this.retirements.clear();
		pending.forEach((retirement) -> retirement.close().run());
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

	/** Connections to close once their servers are idle. */
	private record Retirement(BooleanSupplier idle, Runnable close) {

		void closeIfIdle(Map<Retirement, Disposable> retirements) {
			if (this.idle.getAsBoolean()) {
				Disposable task = retirements.remove(this);
				if (task != null) {
					task.dispose();
					this.close.run();
				}
			}
		}

	}

}

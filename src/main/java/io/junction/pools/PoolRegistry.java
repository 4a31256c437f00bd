package io.junction.pools;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.junction.ConfigurationProblem;
import org.jspecify.annotations.Nullable;

/**
 * The one owner of the pools: holds the current {@link BackendPools} snapshot and swaps
 * it for a new one atomically. Configuration and live state are apart: a snapshot is
 * immutable, while each server's health, counters, admin state and weight live in its
 * {@link PoolServer}, which a new snapshot keeps when it configures the same pool, server
 * name and URL again. Those who follow the servers (health checks, meters, HTTP clients)
 * are told of each swap, once it is in place, with the servers it added and removed.
 */
public final class PoolRegistry {

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private volatile BackendPools current;

	// Guarded by this: the configuration in place, and the addresses DNS gave each pool
	// that has discovery.
	private PoolsProperties properties;

	private final Map<String, List<InetSocketAddress>> discovered = new HashMap<>();

	/**
	 * The registry of the pools configured in {@code properties}.
	 * @throws io.junction.InvalidConfigurationException naming the first bad key
	 */
	public PoolRegistry(PoolsProperties properties) {
		this.current = PoolsBuilder.build(properties, BackendPools.NONE, 1);
		this.properties = properties;
	}

	/**
	 * Every problem of {@code properties} with the rules of {@link #swap}, without
	 * building anything.
	 */
	public static List<ConfigurationProblem> check(PoolsProperties properties) {
		return PoolsBuilder.check(properties);
	}

	/** The pools now: one volatile read, for the request path. */
	public BackendPools current() {
		return this.current;
	}

	/**
	 * Checks {@code properties} with the start-up rules and, if they hold, makes them the
	 * current pools; servers configured again unchanged keep their state.
	 * @return the swap that took place
	 * @throws io.junction.InvalidConfigurationException naming the first bad key; the
	 * current pools are then left as they are
	 */
	public synchronized Swap swap(PoolsProperties properties) {
		BackendPools previous = this.current;
		// What DNS found stays for the pools that still look up the same name.
		Map<String, List<InetSocketAddress>> kept = new HashMap<>();
		this.discovered.forEach((pool, addresses) -> {
			PoolsProperties.Pool configured = properties.getBackends().get(pool);
			Pool before = previous.get(pool);
			String name = (configured != null && configured.getDiscovery() != null) ? configured.getDiscovery().getDns()
					: null;
			if (name != null && before != null && before.discovery() != null
					&& before.discovery().name().equals(name.trim())) {
				kept.put(pool, addresses);
			}
		});
		Swap swap = swap(PoolsBuilder.build(properties, kept, previous, previous.version() + 1));
		this.properties = properties;
		this.discovered.clear();
		this.discovered.putAll(kept);
		return swap;
	}

	/**
	 * Makes {@code addresses} the servers that DNS gives {@code pool} now: new addresses
	 * become servers, awaiting their first check; those gone are removed.
	 * @return the swap that took place, or null when the pool has no discovery or the
	 * addresses are those in place
	 */
	public synchronized @Nullable Swap discovered(String pool, List<InetSocketAddress> addresses) {
		Pool before = this.current.get(pool);
		if (before == null || before.discovery() == null
				|| addresses.equals(this.discovered.getOrDefault(pool, List.of()))) {
			return null;
		}
		Map<String, List<InetSocketAddress>> next = new HashMap<>(this.discovered);
		next.put(pool, List.copyOf(addresses));
		BackendPools previous = this.current;
		Swap swap = swap(PoolsBuilder.build(this.properties, next, previous, previous.version() + 1));
		this.discovered.put(pool, List.copyOf(addresses));
		return swap;
	}

	private Swap swap(BackendPools next) {
		Swap swap = Swap.between(this.current, next);
		this.current = next;
		for (Listener listener : this.listeners) {
			listener.swapped(swap);
		}
		return swap;
	}

	/** Tells {@code listener} of every later swap. */
	public void addListener(Listener listener) {
		this.listeners.add(listener);
	}

	/** Follows the servers of the pools as they are swapped. */
	@FunctionalInterface
	public interface Listener {

		/** A new snapshot is current; called under the registry's lock, one at a time. */
		void swapped(Swap swap);

	}

	/**
	 * One swap of snapshots.
	 *
	 * @param previous the snapshot that was current
	 * @param next the snapshot that is current now
	 * @param added servers of {@code next} that {@code previous} did not have
	 * @param removed servers of {@code previous} that {@code next} no longer has
	 */
	public record Swap(BackendPools previous, BackendPools next, List<PoolServer> added, List<PoolServer> removed) {

		static Swap between(BackendPools previous, BackendPools next) {
			return new Swap(previous, next, missingFrom(previous, next), missingFrom(next, previous));
		}

		/**
		 * The servers of {@code pools}, in configuration order, that {@code other} lacks.
		 */
		private static List<PoolServer> missingFrom(BackendPools other, BackendPools pools) {
			Set<PoolServer> others = servers(other);
			List<PoolServer> missing = new ArrayList<>();
			for (Pool pool : pools.all()) {
				for (PoolServer server : pool.servers()) {
					if (!others.contains(server)) {
						missing.add(server);
					}
				}
			}
			return List.copyOf(missing);
		}

		/** Whether {@code server} is in both snapshots. */
		public boolean kept(PoolServer server) {
			return !this.added.contains(server) && !this.removed.contains(server);
		}

		private static Set<PoolServer> servers(BackendPools pools) {
			// Identity: a kept server is the same object in both snapshots.
			Set<PoolServer> servers = Collections.newSetFromMap(new IdentityHashMap<>());
			for (Pool pool : pools.all()) {
				servers.addAll(pool.servers());
			}
			return servers;
		}

	}

}

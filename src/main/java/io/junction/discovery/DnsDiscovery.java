package io.junction.discovery;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import io.junction.pools.BackendPools;
import io.junction.pools.DiscoverySettings;
import io.junction.pools.Pool;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Follows the servers of every pool that has {@code discovery}: looks its name up on its
 * interval and hands each new set of addresses to the {@link PoolRegistry}, which makes
 * new addresses servers (checked before they take traffic) and retires those gone. A
 * failed lookup changes nothing: the pool keeps the last servers DNS gave it, and the
 * failure is logged once until the lookups succeed again, and told to the failure
 * listeners (which count it as {@code junction_discovery_failures_total}).
 */
public final class DnsDiscovery implements SmartLifecycle, PoolRegistry.Listener {

	private static final Log logger = LogFactory.getLog(DnsDiscovery.class);

	private final PoolRegistry registry;

	private final List<InetSocketAddress> dnsServers;

	private final Duration timeout;

	// Made on the first lookup: a Junction without discovery has no DNS thread.
	private @Nullable DnsLookup lookup;

	private final List<BiConsumer<String, String>> failureListeners = new CopyOnWriteArrayList<>();

	private final ScheduledExecutorService scheduler;

	// Guarded by this: one task per pool with discovery, with the settings it follows.
	private final Map<String, Task> tasks = new HashMap<>();

	private boolean running;

	DnsDiscovery(PoolRegistry registry, List<InetSocketAddress> dnsServers, Duration timeout) {
		this.registry = registry;
		this.dnsServers = List.copyOf(dnsServers);
		this.timeout = timeout;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "junction-discovery");
			thread.setDaemon(true);
			return thread;
		});
		registry.addListener(this);
	}

	/**
	 * Tells {@code listener} of every failed lookup from now on, with the pool and the
	 * reason: {@code no-such-name}, {@code no-records}, {@code timeout} or
	 * {@code failed}.
	 */
	public void addFailureListener(BiConsumer<String, String> listener) {
		this.failureListeners.add(listener);
	}

	// Before the health checks start: the servers found first are checked from the
	// start.
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 8192;
	}

	/** Looks every name up once, waiting for the answers, then on each one's interval. */
	@Override
	public void start() {
		synchronized (this) {
			this.running = true;
		}
		BackendPools pools = this.registry.current();
		for (Pool pool : pools.all()) {
			if (pool.discovery() != null) {
				lookUp(pool.name(), pool.discovery());
			}
		}
		follow(this.registry.current());
	}

	@Override
	public void stop() {
		synchronized (this) {
			this.running = false;
			this.tasks.values().forEach((task) -> task.future().cancel(false));
			this.tasks.clear();
		}
		this.scheduler.shutdownNow();
		DnsLookup lookup = this.lookup;
		if (lookup != null) {
			lookup.close();
		}
	}

	private synchronized DnsLookup lookup() {
		if (this.lookup == null) {
			this.lookup = new DnsLookup(this.dnsServers, this.timeout);
		}
		return this.lookup;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	// Called under the registry's lock, on a reload or a discovery of its own: only
	// schedules, never calls the registry back.
	@Override
	public void swapped(PoolRegistry.Swap swap) {
		follow(swap.next());
	}

	private synchronized void follow(BackendPools pools) {
		if (!this.running) {
			return;
		}
		this.tasks.entrySet().removeIf((entry) -> {
			Pool pool = pools.get(entry.getKey());
			if (pool == null || !entry.getValue().settings().equals(pool.discovery())) {
				entry.getValue().future().cancel(false);
				return true;
			}
			return false;
		});
		for (Pool pool : pools.all()) {
			DiscoverySettings settings = pool.discovery();
			if (settings != null && !this.tasks.containsKey(pool.name())) {
				long interval = settings.interval().toMillis();
				// A pool that is new, or looks up something new, is looked up at once.
				long delay = pool.servers().stream().anyMatch(PoolServer::isDiscovered) ? interval : 0;
				ScheduledFuture<?> future = this.scheduler.scheduleWithFixedDelay(() -> lookUp(pool.name(), settings),
						delay, interval, TimeUnit.MILLISECONDS);
				this.tasks.put(pool.name(), new Task(settings, future, new Failures()));
			}
		}
	}

	private void lookUp(String pool, DiscoverySettings settings) {
		Failures failures;
		synchronized (this) {
			Task task = this.tasks.get(pool);
			failures = (task != null) ? task.failures() : new Failures();
		}
		List<InetSocketAddress> addresses;
		try {
			// Bounded, so that a DNS server that never answers cannot hold start-up.
			addresses = lookup().lookup(settings.name(), settings.port()).block(this.timeout.multipliedBy(3));
		}
		catch (DnsLookupException ex) {
			failed(pool, settings, ex.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
					ex.getMessage(), failures);
			return;
		}
		catch (RuntimeException ex) {
			failed(pool, settings, "failed", String.valueOf(ex.getMessage()), failures);
			return;
		}
		if (addresses == null || addresses.isEmpty()) {
			failed(pool, settings, "no-records", settings.name() + " gave no addresses", failures);
			return;
		}
		if (failures.failing) {
			failures.failing = false;
			logger.info("backend " + pool + ": DNS " + settings.name() + " answers again");
		}
		PoolRegistry.Swap swap = this.registry.discovered(pool, addresses);
		if (swap != null) {
			logger.info("backend " + pool + ": DNS " + settings.name() + " gives " + addresses.size() + " servers"
					+ names(" added ", swap.added()) + names(" removed ", swap.removed()));
		}
	}

	private void failed(String pool, DiscoverySettings settings, String reason, String message, Failures failures) {
		this.failureListeners.forEach((listener) -> listener.accept(pool, reason));
		if (!failures.failing) {
			failures.failing = true;
			logger.warn("backend " + pool + ": DNS lookup of " + settings.name() + " failed (" + message
					+ "); keeping its last servers until it answers");
		}
	}

	private static String names(String what, List<PoolServer> servers) {
		return servers.isEmpty() ? "" : what + servers.stream().map(PoolServer::getName).toList();
	}

	/**
	 * Whether the last lookups of a name failed; touched by the scheduler's thread only.
	 */
	private static final class Failures {

		volatile boolean failing;

	}

	/**
	 * The lookups of one pool.
	 *
	 * @param settings what it looks up
	 * @param future its schedule
	 * @param failures whether it is failing now
	 */
	private record Task(DiscoverySettings settings, ScheduledFuture<?> future, Failures failures) {
	}

}

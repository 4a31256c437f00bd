package io.junction.observability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.junction.pools.AdminState;
import io.junction.pools.Pool;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolQueue;
import io.junction.pools.PoolServer;
import io.junction.pools.ServerState;
import io.junction.pools.ServerTraffic;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Per pool and server meters. Counters and gauges read the servers' state and traffic
 * when scraped, so the request path pays nothing for them beyond the counters it already
 * keeps; only the response-time histogram is written per response, through a timer built
 * here once. Follows the pools registry: a removed server's meters leave the scrape, a
 * new server's join it, a kept server's go on counting.
 */
final class PoolMeters implements MeterBinder, PoolRegistry.Listener {

	/**
	 * Histogram buckets of every latency meter: fine enough for histogram_quantile to
	 * give p50, p90 and p99 from 1 ms to 30 s, few enough to keep the series count low.
	 */
	static final Duration[] LATENCY_BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
			Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30) };

	/** Status classes as the {@code code} tag shows them; index 0 is "other". */
	static final String[] STATUS_CLASSES = { "other", "1xx", "2xx", "3xx", "4xx", "5xx" };

	private final PoolRegistry pools;

	// Guarded by this: each server's meters, so that they leave with the server.
	private final Map<PoolServer, List<Meter>> meters = new IdentityHashMap<>();

	// Guarded by this: each pool's meters, by name, as its queue is kept while the
	// pool is.
	private final Map<String, List<Meter>> poolMeters = new HashMap<>();

	private @Nullable MeterRegistry registry;

	PoolMeters(PoolRegistry pools) {
		this.pools = pools;
		pools.addListener(this);
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		this.registry = registry;
		for (Pool pool : this.pools.current().all()) {
			this.poolMeters.put(pool.name(), bind(registry, pool));
			for (PoolServer server : pool.servers()) {
				this.meters.put(server, bind(registry, server));
			}
		}
	}

	@Override
	public synchronized void swapped(PoolRegistry.Swap swap) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		for (PoolServer removed : swap.removed()) {
			List<Meter> gone = this.meters.remove(removed);
			if (gone != null) {
				gone.forEach(registry::remove);
			}
		}
		for (PoolServer added : swap.added()) {
			this.meters.put(added, bind(registry, added));
		}
		for (Pool removed : swap.previous().all()) {
			if (swap.next().get(removed.name()) == null) {
				List<Meter> gone = this.poolMeters.remove(removed.name());
				if (gone != null) {
					gone.forEach(registry::remove);
				}
			}
		}
		for (Pool pool : swap.next().all()) {
			if (!this.poolMeters.containsKey(pool.name())) {
				this.poolMeters.put(pool.name(), bind(registry, pool));
			}
		}
	}

	private static List<Meter> bind(MeterRegistry registry, Pool pool) {
		Tags tags = Tags.of("pool", pool.name());
		PoolQueue queue = pool.queue();
		List<Meter> bound = new ArrayList<>();
		gauge(registry, JunctionMeters.POOL_QUEUE_REQUESTS, tags, queue, PoolQueue::size, bound);
		bound.add(FunctionTimer
			.builder(JunctionMeters.POOL_QUEUE_WAIT.meterName(), queue, PoolQueue::served, PoolQueue::waitNanos,
					TimeUnit.NANOSECONDS)
			.description(JunctionMeters.POOL_QUEUE_WAIT.description())
			.tags(tags)
			.register(registry));
		counter(registry, JunctionMeters.POOL_QUEUE_REFUSED, tags.and("reason", "full"), queue, PoolQueue::refusedFull,
				bound);
		counter(registry, JunctionMeters.POOL_QUEUE_REFUSED, tags.and("reason", "timeout"), queue, PoolQueue::timedOut,
				bound);
		return bound;
	}

	private static List<Meter> bind(MeterRegistry registry, PoolServer server) {
		Tags tags = Tags.of("pool", server.pool(), "server", server.getName());
		List<Meter> bound = new ArrayList<>();
		bindState(registry, tags, server.state(), bound);
		bindTraffic(registry, tags, server.traffic(), bound);
		gauge(registry, JunctionMeters.SERVER_MAX_CONNECTIONS, tags, server, PoolServer::maxConnections, bound);
		return bound;
	}

	private static void bindState(MeterRegistry registry, Tags tags, ServerState state, List<Meter> bound) {
		gauge(registry, JunctionMeters.SERVER_UP, tags, state, (s) -> s.isUp() ? 1 : 0, bound);
		gauge(registry, JunctionMeters.SERVER_AVAILABLE, tags, state, (s) -> s.isAvailable(System.nanoTime()) ? 1 : 0,
				bound);
		for (AdminState adminState : AdminState.values()) {
			gauge(registry, JunctionMeters.SERVER_ADMIN_STATE, tags.and("state", adminState.name()), state,
					(s) -> (s.adminState() == adminState) ? 1 : 0, bound);
		}
		gauge(registry, JunctionMeters.SERVER_WEIGHT, tags, state, ServerState::weight, bound);
		counter(registry, JunctionMeters.SERVER_CHECK_FAILURES, tags, state, ServerState::checksFailed, bound);
		bound.add(Gauge
			.builder(JunctionMeters.SERVER_CHECK_DURATION.meterName(), state,
					(s) -> (s.lastCheckNanos() < 0) ? Double.NaN : s.lastCheckNanos() / 1e9)
			.description(JunctionMeters.SERVER_CHECK_DURATION.description())
			.baseUnit("seconds")
			.tags(tags)
			.register(registry));
		bound.add(Gauge.builder(JunctionMeters.SERVER_LAST_CHANGE.meterName(), state, (s) -> s.lastChangeMillis() / 1e3)
			.description(JunctionMeters.SERVER_LAST_CHANGE.description())
			.baseUnit("seconds")
			.tags(tags)
			.register(registry));
		counter(registry, JunctionMeters.SERVER_EJECTIONS, tags, state, ServerState::ejections, bound);
		counter(registry, JunctionMeters.SERVER_RETRIES, tags, state, ServerState::retries, bound);
		counter(registry, JunctionMeters.SERVER_REDISPATCHES, tags, state, ServerState::redispatches, bound);
	}

	private static void bindTraffic(MeterRegistry registry, Tags tags, ServerTraffic traffic, List<Meter> bound) {
		gauge(registry, JunctionMeters.SERVER_CURRENT_REQUESTS, tags, traffic, ServerTraffic::current, bound);
		gauge(registry, JunctionMeters.SERVER_MAX_REQUESTS, tags, traffic, ServerTraffic::max, bound);
		counter(registry, JunctionMeters.SERVER_REQUESTS, tags, traffic, ServerTraffic::requests, bound);
		for (int statusClass = 0; statusClass < STATUS_CLASSES.length; statusClass++) {
			int index = statusClass;
			counter(registry, JunctionMeters.SERVER_RESPONSES, tags.and("code", STATUS_CLASSES[index]), traffic,
					(t) -> t.responses(index), bound);
		}
		counter(registry, JunctionMeters.SERVER_CONNECTION_ERRORS, tags, traffic, ServerTraffic::connectionErrors,
				bound);
		counter(registry, JunctionMeters.SERVER_RESPONSE_ERRORS, tags, traffic, ServerTraffic::responseErrors, bound);
		bound.add(FunctionCounter
			.builder(JunctionMeters.SERVER_REQUEST_BYTES.meterName(), traffic, ServerTraffic::requestBytes)
			.description(JunctionMeters.SERVER_REQUEST_BYTES.description())
			.baseUnit(BaseUnits.BYTES)
			.tags(tags)
			.register(registry));
		bound.add(FunctionCounter
			.builder(JunctionMeters.SERVER_RESPONSE_BYTES.meterName(), traffic, ServerTraffic::responseBytes)
			.description(JunctionMeters.SERVER_RESPONSE_BYTES.description())
			.baseUnit(BaseUnits.BYTES)
			.tags(tags)
			.register(registry));
		Timer responseTime = latencyTimer(JunctionMeters.SERVER_RESPONSE_TIME, tags).register(registry);
		bound.add(responseTime);
		// A kept server has its listener already, from when it was first bound.
		traffic.setResponseTimeListener((nanos) -> responseTime.record(nanos, TimeUnit.NANOSECONDS));
	}

	/** A timer whose histogram has {@link #LATENCY_BUCKETS}, for histogram_quantile. */
	static Timer.Builder latencyTimer(JunctionMeters meter, Tags tags) {
		return Timer.builder(meter.meterName())
			.description(meter.description())
			.tags(tags)
			.serviceLevelObjectives(LATENCY_BUCKETS)
			.minimumExpectedValue(LATENCY_BUCKETS[0])
			.maximumExpectedValue(LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1]);
	}

	private static <T> void gauge(MeterRegistry registry, JunctionMeters meter, Tags tags, T source,
			ToDoubleFunction<T> value, List<Meter> bound) {
		bound.add(Gauge.builder(meter.meterName(), source, value)
			.description(meter.description())
			.tags(tags)
			.register(registry));
	}

	private static <T> void counter(MeterRegistry registry, JunctionMeters meter, Tags tags, T source,
			ToDoubleFunction<T> value, List<Meter> bound) {
		bound.add(FunctionCounter.builder(meter.meterName(), source, value)
			.description(meter.description())
			.tags(tags)
			.register(registry));
	}

}

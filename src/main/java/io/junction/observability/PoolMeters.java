package io.junction.observability;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.junction.pools.AdminState;
import io.junction.pools.BackendPools;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.ServerState;
import io.junction.pools.ServerTraffic;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Per pool and server meters. Counters and gauges read the servers' state and traffic
 * when scraped, so the request path pays nothing for them beyond the counters it already
 * keeps; only the response-time histogram is written per response, through a timer built
 * here once.
 */
final class PoolMeters implements MeterBinder {

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

	private final BackendPools pools;

	PoolMeters(BackendPools pools) {
		this.pools = pools;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (Pool pool : this.pools.all()) {
			for (PoolServer server : pool.servers()) {
				Tags tags = Tags.of("pool", pool.name(), "server", server.getName());
				bindState(registry, tags, server.state());
				bindTraffic(registry, tags, server.traffic());
			}
		}
	}

	private static void bindState(MeterRegistry registry, Tags tags, ServerState state) {
		gauge(registry, JunctionMeters.SERVER_UP, tags, state, (s) -> s.isUp() ? 1 : 0);
		gauge(registry, JunctionMeters.SERVER_AVAILABLE, tags, state, (s) -> s.isAvailable(System.nanoTime()) ? 1 : 0);
		for (AdminState adminState : AdminState.values()) {
			gauge(registry, JunctionMeters.SERVER_ADMIN_STATE, tags.and("state", adminState.name()), state,
					(s) -> (s.adminState() == adminState) ? 1 : 0);
		}
		gauge(registry, JunctionMeters.SERVER_WEIGHT, tags, state, ServerState::weight);
		counter(registry, JunctionMeters.SERVER_CHECK_FAILURES, tags, state, ServerState::checksFailed);
		Gauge
			.builder(JunctionMeters.SERVER_CHECK_DURATION.meterName(), state,
					(s) -> (s.lastCheckNanos() < 0) ? Double.NaN : s.lastCheckNanos() / 1e9)
			.description(JunctionMeters.SERVER_CHECK_DURATION.description())
			.baseUnit("seconds")
			.tags(tags)
			.register(registry);
		Gauge.builder(JunctionMeters.SERVER_LAST_CHANGE.meterName(), state, (s) -> s.lastChangeMillis() / 1e3)
			.description(JunctionMeters.SERVER_LAST_CHANGE.description())
			.baseUnit("seconds")
			.tags(tags)
			.register(registry);
		counter(registry, JunctionMeters.SERVER_EJECTIONS, tags, state, ServerState::ejections);
		counter(registry, JunctionMeters.SERVER_RETRIES, tags, state, ServerState::retries);
		counter(registry, JunctionMeters.SERVER_REDISPATCHES, tags, state, ServerState::redispatches);
	}

	private static void bindTraffic(MeterRegistry registry, Tags tags, ServerTraffic traffic) {
		gauge(registry, JunctionMeters.SERVER_CURRENT_REQUESTS, tags, traffic, ServerTraffic::current);
		gauge(registry, JunctionMeters.SERVER_MAX_REQUESTS, tags, traffic, ServerTraffic::max);
		counter(registry, JunctionMeters.SERVER_REQUESTS, tags, traffic, ServerTraffic::requests);
		for (int statusClass = 0; statusClass < STATUS_CLASSES.length; statusClass++) {
			int index = statusClass;
			counter(registry, JunctionMeters.SERVER_RESPONSES, tags.and("code", STATUS_CLASSES[index]), traffic,
					(t) -> t.responses(index));
		}
		counter(registry, JunctionMeters.SERVER_CONNECTION_ERRORS, tags, traffic, ServerTraffic::connectionErrors);
		counter(registry, JunctionMeters.SERVER_RESPONSE_ERRORS, tags, traffic, ServerTraffic::responseErrors);
		FunctionCounter.builder(JunctionMeters.SERVER_REQUEST_BYTES.meterName(), traffic, ServerTraffic::requestBytes)
			.description(JunctionMeters.SERVER_REQUEST_BYTES.description())
			.baseUnit(BaseUnits.BYTES)
			.tags(tags)
			.register(registry);
		FunctionCounter.builder(JunctionMeters.SERVER_RESPONSE_BYTES.meterName(), traffic, ServerTraffic::responseBytes)
			.description(JunctionMeters.SERVER_RESPONSE_BYTES.description())
			.baseUnit(BaseUnits.BYTES)
			.tags(tags)
			.register(registry);
		Timer responseTime = latencyTimer(JunctionMeters.SERVER_RESPONSE_TIME, tags).register(registry);
		traffic.addResponseTimeListener((nanos) -> responseTime.record(nanos, TimeUnit.NANOSECONDS));
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
			ToDoubleFunction<T> value) {
		Gauge.builder(meter.meterName(), source, value).description(meter.description()).tags(tags).register(registry);
	}

	private static <T> void counter(MeterRegistry registry, JunctionMeters meter, Tags tags, T source,
			ToDoubleFunction<T> value) {
		FunctionCounter.builder(meter.meterName(), source, value)
			.description(meter.description())
			.tags(tags)
			.register(registry);
	}

}

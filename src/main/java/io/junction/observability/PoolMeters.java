package io.junction.observability;

import java.util.function.ToDoubleFunction;

import io.junction.pools.AdminState;
import io.junction.pools.BackendPools;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.ServerState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Per pool and server meters. They read the servers' state when scraped, so the request
 * path pays nothing for them beyond the counters it already keeps.
 */
final class PoolMeters implements MeterBinder {

	private final BackendPools pools;

	PoolMeters(BackendPools pools) {
		this.pools = pools;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (Pool pool : this.pools.all()) {
			for (PoolServer server : pool.servers()) {
				Tags tags = Tags.of("pool", pool.name(), "server", server.getName());
				ServerState state = server.state();
				gauge(registry, JunctionMeters.SERVER_UP, tags, state, (s) -> s.isUp() ? 1 : 0);
				gauge(registry, JunctionMeters.SERVER_AVAILABLE, tags, state,
						(s) -> s.isAvailable(System.nanoTime()) ? 1 : 0);
				for (AdminState adminState : AdminState.values()) {
					gauge(registry, JunctionMeters.SERVER_ADMIN_STATE, tags.and("state", adminState.name()), state,
							(s) -> (s.adminState() == adminState) ? 1 : 0);
				}
				gauge(registry, JunctionMeters.SERVER_WEIGHT, tags, state, ServerState::weight);
				counter(registry, JunctionMeters.SERVER_CHECK_FAILURES, tags, state, ServerState::checksFailed);
				counter(registry, JunctionMeters.SERVER_EJECTIONS, tags, state, ServerState::ejections);
				counter(registry, JunctionMeters.SERVER_RETRIES, tags, state, ServerState::retries);
				counter(registry, JunctionMeters.SERVER_REDISPATCHES, tags, state, ServerState::redispatches);
			}
		}
	}

	private static void gauge(MeterRegistry registry, JunctionMeters meter, Tags tags, ServerState state,
			ToDoubleFunction<ServerState> value) {
		Gauge.builder(meter.meterName(), state, value).description(meter.description()).tags(tags).register(registry);
	}

	private static void counter(MeterRegistry registry, JunctionMeters meter, Tags tags, ServerState state,
			ToDoubleFunction<ServerState> value) {
		FunctionCounter.builder(meter.meterName(), state, value)
			.description(meter.description())
			.tags(tags)
			.register(registry);
	}

}

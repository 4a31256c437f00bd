package io.junction.observability;

import io.junction.edge.ConnectionLimit;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The client connections of the traffic port: {@code junction_connections_open} and
 * {@code junction_connections_limit_reached_total}, read from the {@link ConnectionLimit}
 * at scrape time.
 */
final class ConnectionMeters implements MeterBinder {

	private final ConnectionLimit limit;

	ConnectionMeters(ConnectionLimit limit) {
		this.limit = limit;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(JunctionMeters.CONNECTIONS_OPEN.meterName(), this.limit, ConnectionLimit::open)
			.description(JunctionMeters.CONNECTIONS_OPEN.description())
			.register(registry);
		FunctionCounter
			.builder(JunctionMeters.CONNECTIONS_LIMIT_REACHED.meterName(), this.limit, ConnectionLimit::timesReached)
			.description(JunctionMeters.CONNECTIONS_LIMIT_REACHED.description())
			.register(registry);
	}

}

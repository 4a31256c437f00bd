package io.junction.observability;

import io.junction.config.ConfigurationReloader;
import io.junction.discovery.DnsDiscovery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * How the configuration changes: {@code junction_config_reloads_total{result}}, each
 * reload of the configuration files applied or refused, and
 * {@code junction_discovery_failures_total{pool,reason}}, each failed DNS lookup of a
 * pool's servers.
 */
final class ConfigurationMeters implements MeterBinder {

	private final ConfigurationReloader reloader;

	private final DnsDiscovery discovery;

	ConfigurationMeters(ConfigurationReloader reloader, DnsDiscovery discovery) {
		this.reloader = reloader;
		this.discovery = discovery;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Counter applied = counter(registry, "applied");
		Counter rejected = counter(registry, "rejected");
		this.reloader.addListener((outcome) -> {
			switch (outcome.result()) {
				case APPLIED -> applied.increment();
				case REJECTED -> rejected.increment();
				case UNCHANGED -> {
				}
			}
		});
		this.discovery
			.addFailureListener((pool, reason) -> Counter.builder(JunctionMeters.DISCOVERY_FAILURES.meterName())
				.description(JunctionMeters.DISCOVERY_FAILURES.description())
				.tag("pool", pool)
				.tag("reason", reason)
				.register(registry)
				.increment());
	}

	private static Counter counter(MeterRegistry registry, String result) {
		return Counter.builder(JunctionMeters.CONFIG_RELOADS.meterName())
			.description(JunctionMeters.CONFIG_RELOADS.description())
			.tag("result", result)
			.register(registry);
	}

}

package io.junction.observability;

import io.junction.config.ConfigurationReloader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code junction_config_reloads_total{result="applied|rejected"}}: each reload of the
 * configuration files that changed something or was refused.
 */
final class ConfigReloadMeters implements MeterBinder {

	private final ConfigurationReloader reloader;

	ConfigReloadMeters(ConfigurationReloader reloader) {
		this.reloader = reloader;
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
	}

	private static Counter counter(MeterRegistry registry, String result) {
		return Counter.builder(JunctionMeters.CONFIG_RELOADS.meterName())
			.description(JunctionMeters.CONFIG_RELOADS.description())
			.tag("result", result)
			.register(registry);
	}

}

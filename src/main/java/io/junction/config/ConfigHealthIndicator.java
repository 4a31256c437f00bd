package io.junction.config;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The configuration in {@code /actuator/health}: the version in place and the last one
 * refused. Always UP: after a refusal the configuration in place still serves, so a bad
 * file must not make the load balancer pull the gateway.
 */
final class ConfigHealthIndicator implements HealthIndicator {

	private final ConfigurationReloader reloader;

	ConfigHealthIndicator(ConfigurationReloader reloader) {
		this.reloader = reloader;
	}

	@Override
	public Health health() {
		return Health.up().withDetails(this.reloader.status()).build();
	}

}

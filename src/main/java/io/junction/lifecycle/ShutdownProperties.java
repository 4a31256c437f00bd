package io.junction.lifecycle;

import java.time.Duration;

import io.junction.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** How Junction leaves the load balancer when it is asked to stop. */
@ConfigurationProperties(ShutdownProperties.PREFIX)
public class ShutdownProperties {

	/** Prefix of the shutdown properties. */
	public static final String PREFIX = "junction.shutdown";

	/**
	 * How long Junction keeps serving after SIGTERM, with readiness already down, so that
	 * the ELB's health check sees it leave before it stops accepting connections (HAProxy
	 * {@code grace}). Longer than the ELB's check interval times its unhealthy threshold.
	 * Default 10s.
	 */
	private Duration drainDelay = Duration.ofSeconds(10);

	public Duration getDrainDelay() {
		return this.drainDelay;
	}

	public void setDrainDelay(Duration drainDelay) {
		if (drainDelay.isNegative()) {
			throw new InvalidConfigurationException(PREFIX + ".drain-delay", drainDelay + " must be 0s or more");
		}
		this.drainDelay = drainDelay;
	}

}

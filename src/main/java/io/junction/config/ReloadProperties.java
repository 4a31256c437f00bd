package io.junction.config;

import java.time.Duration;

import io.junction.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** How Junction follows changes to its configuration files. */
@ConfigurationProperties(ReloadProperties.PREFIX)
public class ReloadProperties {

	/** Prefix of the reload properties. */
	public static final String PREFIX = "junction.reload";

	/**
	 * Whether a change to the files of {@code spring.config.additional-location} is
	 * applied without a restart: routes and pools (HAProxy {@code systemctl reload}).
	 */
	private boolean enabled = true;

	/**
	 * How often the files are read again in case no file-system event tells of a change
	 * (some network and overlay file systems send none).
	 */
	private Duration interval = Duration.ofSeconds(2);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		if (interval.isNegative() || interval.isZero()) {
			throw new InvalidConfigurationException(PREFIX + ".interval", interval + " must be positive");
		}
		this.interval = interval;
	}

}

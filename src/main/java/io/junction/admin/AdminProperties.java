package io.junction.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Runtime admin (HAProxy's {@code stats socket ... level admin}).
 */
@ConfigurationProperties(AdminProperties.PREFIX)
public class AdminProperties {

	/** Prefix of the admin properties. */
	public static final String PREFIX = "junction.admin";

	/**
	 * Whether the {@code servers} endpoint may change a server's admin state and weight.
	 * Reading is always allowed. Default false.
	 */
	private boolean enabled;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}

package io.junction;

/**
 * Start-up refusal of a configuration value. The message is one line that starts with the
 * full property key, so that an operator can find the line to fix.
 */
public class InvalidConfigurationException extends RuntimeException {

	private final String key;

	private final String reason;

	public InvalidConfigurationException(String key, String reason) {
		super(key + ": " + reason);
		this.key = key;
		this.reason = reason;
	}

	/** The full property key at fault, as written in application.yml. */
	public String getKey() {
		return this.key;
	}

	/** What is wrong with the value, without the key. */
	public String getReason() {
		return this.reason;
	}

}

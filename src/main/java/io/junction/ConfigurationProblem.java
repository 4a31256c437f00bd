package io.junction;

/**
 * One thing wrong with a configuration, found at start-up, on reload or by {@code check}.
 *
 * @param key the full property key at fault, as written in the file (for example
 * {@code junction.backends.foo.servers[0].url})
 * @param reason what is wrong, without the key
 */
public record ConfigurationProblem(String key, String reason) {

	@Override
	public String toString() {
		return this.key + ": " + this.reason;
	}

}

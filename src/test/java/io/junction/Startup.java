package io.junction;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.catchThrowable;

/** Starts Junction as {@code java -jar} would, on random ports, with extra properties. */
public final class Startup {

	private Startup() {
	}

	/** Starts Junction; the caller closes it. */
	public static ConfigurableApplicationContext run(String... properties) {
		return builder(properties).run();
	}

	/**
	 * Starts Junction expecting start-up to be refused, and returns the refusal.
	 * @throws AssertionError if Junction started, or failed for another reason
	 */
	public static InvalidConfigurationException refusal(String... properties) {
		Throwable failure = catchThrowable(() -> builder(properties).run().close());
		if (failure == null) {
			throw new AssertionError("Junction started with " + String.join(", ", properties));
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidConfigurationException refusal) {
				return refusal;
			}
		}
		throw new AssertionError("start-up failed for another reason", failure);
	}

	private static SpringApplicationBuilder builder(String... properties) {
		return new SpringApplicationBuilder(JunctionApplication.class)
			.properties("server.port=0", "management.server.port=0")
			.properties(properties);
	}

}

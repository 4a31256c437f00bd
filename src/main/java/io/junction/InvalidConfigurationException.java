package io.junction;

import java.util.List;

/**
 * Refusal of a configuration. The message starts with the full property key at fault, so
 * that an operator can find the line to fix; with several problems, it lists each on its
 * own line.
 */
public class InvalidConfigurationException extends RuntimeException {

	private final List<ConfigurationProblem> problems;

	public InvalidConfigurationException(String key, String reason) {
		this(List.of(new ConfigurationProblem(key, reason)));
	}

	/** A refusal for every one of {@code problems}, at least one. */
	public InvalidConfigurationException(List<ConfigurationProblem> problems) {
		super(message(problems));
		this.problems = List.copyOf(problems);
	}

	private static String message(List<ConfigurationProblem> problems) {
		if (problems.isEmpty()) {
			throw new IllegalArgumentException("a refusal needs a problem");
		}
		if (problems.size() == 1) {
			return problems.get(0).toString();
		}
		StringBuilder message = new StringBuilder(problems.size() + " problems:");
		for (ConfigurationProblem problem : problems) {
			message.append("\n  ").append(problem);
		}
		return message.toString();
	}

	/** The full property key of the first problem, as written in application.yml. */
	public String getKey() {
		return this.problems.get(0).key();
	}

	/** What is wrong with the first problem's value, without the key. */
	public String getReason() {
		return this.problems.get(0).reason();
	}

	/** Every problem found, in the order of the configuration. */
	public List<ConfigurationProblem> getProblems() {
		return this.problems;
	}

}

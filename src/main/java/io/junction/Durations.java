package io.junction;

import java.time.Duration;

/** Durations in log lines, written as in configuration: {@code 10s}, {@code 1m30s}. */
public final class Durations {

	private Durations() {
	}

	public static String readable(Duration duration) {
		return duration.toString().substring(2).toLowerCase();
	}

}

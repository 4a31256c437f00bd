package io.junction.haproxy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HAProxy's times ({@code 5000}, {@code 5000ms}, {@code 5s}) as Junction durations. */
final class HaproxyDurations {

	private static final Pattern TIME = Pattern.compile("([0-9]+)(us|ms|s|m|h|d)?");

	private HaproxyDurations() {
	}

	/**
	 * {@code time} as Junction writes a duration: the same, with {@code ms} where HAProxy
	 * left the unit out.
	 * @throws NotConvertible if it is not an HAProxy time
	 */
	static String duration(String time) throws NotConvertible {
		Matcher matcher = TIME.matcher(time);
		if (!matcher.matches()) {
			throw new NotConvertible("'" + time + "' is not a time");
		}
		return (matcher.group(2) != null) ? time : time + "ms";
	}

	/** A duration written by {@link #duration} in milliseconds. */
	static long millis(String duration) {
		Matcher matcher = TIME.matcher(duration);
		if (!matcher.matches()) {
			throw new IllegalArgumentException(duration);
		}
		long amount = Long.parseLong(matcher.group(1));
		String unit = (matcher.group(2) != null) ? matcher.group(2) : "ms";
		return switch (unit) {
			case "us" -> amount / 1000;
			case "s" -> amount * 1000;
			case "m" -> amount * 60_000;
			case "h" -> amount * 3_600_000;
			case "d" -> amount * 86_400_000;
			default -> amount;
		};
	}

}

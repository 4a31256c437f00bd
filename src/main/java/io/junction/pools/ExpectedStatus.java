package io.junction.pools;

import java.util.BitSet;

/**
 * The HTTP statuses that pass a health check, parsed once from a value such as
 * {@code 200-399} or {@code 200,204,300-302}.
 */
public final class ExpectedStatus {

	private final BitSet statuses;

	private final String text;

	private ExpectedStatus(BitSet statuses, String text) {
		this.statuses = statuses;
		this.text = text;
	}

	/**
	 * Parses a comma-separated list of statuses and ranges.
	 * @throws IllegalArgumentException if it does not parse or names no status in 100-599
	 */
	public static ExpectedStatus parse(String text) {
		BitSet statuses = new BitSet(600);
		for (String part : text.split(",")) {
			String item = part.trim();
			int dash = item.indexOf('-');
			int from = status((dash < 0) ? item : item.substring(0, dash), text);
			int to = (dash < 0) ? from : status(item.substring(dash + 1), text);
			if (to < from) {
				throw new IllegalArgumentException("range '" + item + "' ends before it starts");
			}
			statuses.set(from, to + 1);
		}
		return new ExpectedStatus(statuses, text);
	}

	private static int status(String value, String text) {
		try {
			int status = Integer.parseInt(value.trim());
			if (status < 100 || status > 599) {
				throw new IllegalArgumentException("'" + value.trim() + "' is not an HTTP status (100-599)");
			}
			return status;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(
					"'" + text + "' is not a status list such as 200-399 or 200,204,300-302");
		}
	}

	public boolean matches(int status) {
		return status >= 0 && status < 600 && this.statuses.get(status);
	}

	@Override
	public String toString() {
		return this.text;
	}

}

package io.junction.pools;

import java.time.Duration;

/**
 * A pool's passive checks (outlier ejection), checked at start-up.
 *
 * @param enabled whether failing servers are ejected
 * @param consecutiveErrors failed requests in a row that eject a server
 * @param ejectTime how long an ejected server gets no traffic
 * @param layer7 whether 5xx responses count as failures
 * @param maxEjectedPercent most servers of the pool ejected at once, in percent of its
 * servers (0 to 100)
 */
public record PassiveCheckSettings(boolean enabled, int consecutiveErrors, Duration ejectTime, boolean layer7,
		int maxEjectedPercent) {

	/**
	 * How many of {@code servers} may be ejected at once: the percent of them, rounded
	 * down, but at least one unless the percent is 0, so that a small pool can still
	 * eject a failing server (as Envoy ejects one whatever its percent).
	 */
	public int maxEjected(int servers) {
		if (this.maxEjectedPercent == 0 || servers == 0) {
			return 0;
		}
		return Math.max(1, servers * this.maxEjectedPercent / 100);
	}

}

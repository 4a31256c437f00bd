package io.junction.pools;

import java.time.Duration;

/**
 * A pool's passive checks (outlier ejection), checked at start-up.
 *
 * @param enabled whether failing servers are ejected
 * @param consecutiveErrors failed requests in a row that eject a server
 * @param ejectTime how long an ejected server gets no traffic
 * @param layer7 whether 5xx responses count as failures
 */
public record PassiveCheckSettings(boolean enabled, int consecutiveErrors, Duration ejectTime, boolean layer7) {
}

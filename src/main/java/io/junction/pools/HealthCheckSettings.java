package io.junction.pools;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A pool's active health checks, checked at start-up.
 *
 * @param enabled whether servers are checked at all
 * @param path the HTTP GET path, or null for a TCP connect check
 * @param interval time between two checks of a server
 * @param timeout maximum time of one check, shorter than the interval
 * @param rise consecutive successes that bring a server UP
 * @param fall consecutive failures that take a server DOWN
 * @param expectStatus statuses that pass an HTTP check
 */
public record HealthCheckSettings(boolean enabled, @Nullable String path, Duration interval, Duration timeout, int rise,
		int fall, ExpectedStatus expectStatus) {
}

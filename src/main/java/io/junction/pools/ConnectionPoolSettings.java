package io.junction.pools;

import java.time.Duration;

/**
 * How a pool's HTTP client keeps its connections to each server.
 *
 * @param maxConnections most connections open to one server at once; further requests
 * wait for one to be free
 * @param maxIdleTime how long an unused connection stays open for reuse
 */
public record ConnectionPoolSettings(int maxConnections, Duration maxIdleTime) {
}

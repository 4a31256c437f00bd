/**
 * Backend pools: HAProxy's {@code backend} sections, configured under
 * {@code junction.backends.<name>}, checked and built into immutable snapshots that
 * {@link io.junction.pools.PoolRegistry} swaps atomically, and each server's live state
 * (health, counters, admin state, weight), which outlives a snapshot that keeps the
 * server.
 */
@NullMarked
package io.junction.pools;

import org.jspecify.annotations.NullMarked;

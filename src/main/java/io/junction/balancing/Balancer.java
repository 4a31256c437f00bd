package io.junction.balancing;

import org.jspecify.annotations.Nullable;

import io.junction.pools.PoolServer;

/**
 * Picks the server of a request among its {@link Candidates}: HAProxy's {@code balance}.
 * One implementation per algorithm; each is lock-free, since it runs on every request.
 */
public interface Balancer {

	/** A server that {@code candidates} accepts, or null if it accepts none. */
	@Nullable PoolServer choose(Candidates candidates);

}

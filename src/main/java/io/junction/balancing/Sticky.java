package io.junction.balancing;

import org.jspecify.annotations.Nullable;

import io.junction.pools.PoolServer;

/**
 * Sticky sessions (HAProxy {@code cookie}): the server the request's cookie names
 * ({@link Candidates#requested()}) while it is a candidate, else the choice of the pool's
 * own balancer. A client whose server went DOWN, was ejected, taken out of rotation or
 * failed this request thus moves, and the response names its new server; one whose server
 * is only full (its {@code max-connections}) waits for it in the pool's queue.
 */
public final class Sticky implements Balancer {

	private final Balancer balancer;

	/**
	 * @param balancer the pool's balancer, for requests without a usable cookie
	 */
	public Sticky(Balancer balancer) {
		this.balancer = balancer;
	}

	@Override
	public @Nullable PoolServer choose(Candidates candidates) {
		PoolServer requested = candidates.requested();
		if (requested != null && candidates.acceptsWhenFree(requested)) {
			// A full server is waited for, as HAProxy queues a request on its
			// persistent server: moving would lose the client's session.
			return requested.isFull() ? null : requested;
		}
		return this.balancer.choose(candidates);
	}

	@Override
	public String toString() {
		return "Sticky(" + this.balancer + ")";
	}

}

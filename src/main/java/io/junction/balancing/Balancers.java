package io.junction.balancing;

import io.junction.pools.Balance;
import io.junction.pools.Pool;

/** The balancer of each {@link Balance}: the one place an algorithm is named. */
public final class Balancers {

	private Balancers() {
	}

	/** A new balancer for the pool's {@code balance}, with no state yet. */
	public static Balancer of(Pool pool) {
		Balancer balancer = switch (pool.balance()) {
			case ROUND_ROBIN -> new WeightedRoundRobin();
			case LEAST_CONNECTIONS -> new LeastConnections();
			case RANDOM -> new WeightedRandom();
			case HASH -> new ConsistentHash(pool.hash().factor());
		};
		return pool.sticky().enabled() ? new Sticky(balancer) : balancer;
	}

	/** Whether a balancer made for {@code before} serves {@code after} as it is. */
	public static boolean same(Pool before, Pool after) {
		return before.balance() == after.balance() && before.sticky().enabled() == after.sticky().enabled()
				&& (after.balance() != Balance.HASH || before.hash().factor() == after.hash().factor());
	}

}

package io.junction.balancing;

import io.junction.pools.Balance;

/** The balancer of each {@link Balance}: the one place an algorithm is named. */
public final class Balancers {

	private Balancers() {
	}

	/** A new balancer for {@code balance}, with no state yet. */
	public static Balancer of(Balance balance) {
		return switch (balance) {
			case ROUND_ROBIN -> new WeightedRoundRobin();
			case LEAST_CONNECTIONS -> new LeastConnections();
			case RANDOM -> new WeightedRandom();
		};
	}

}

package io.junction.balancing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

import org.jspecify.annotations.Nullable;

import io.junction.pools.PoolServer;
import io.junction.pools.Rotation;

/**
 * HAProxy's {@code balance random}: a candidate drawn at random in proportion to its
 * weight. Stateless but for the source of randomness, lock-free and without allocation.
 */
public final class WeightedRandom implements Balancer {

	// Draws from the rotation before scanning: with most servers candidates, one draw
	// nearly always does.
	private static final int DRAWS = 4;

	private final IntUnaryOperator random;

	/** Draws with {@link ThreadLocalRandom}. */
	public WeightedRandom() {
		this((bound) -> ThreadLocalRandom.current().nextInt(bound));
	}

	/**
	 * Draws with {@code random}, which maps a bound to an int from 0 inclusive to that
	 * bound exclusive: tests give a seeded one.
	 */
	public WeightedRandom(IntUnaryOperator random) {
		this.random = random;
	}

	@Override
	public @Nullable PoolServer choose(Candidates candidates) {
		int[] order = candidates.order();
		if (order.length == 0) {
			return null;
		}
		List<PoolServer> servers = candidates.servers();
		PoolServer drawn = draw(candidates, servers, order, null, DRAWS, this.random);
		return (drawn != null) ? drawn : scan(candidates, servers, this.random);
	}

	/**
	 * A candidate other than {@code not} drawn by weight from {@code order}, the
	 * {@link Rotation} order, in which each server in rotation has as many turns as its
	 * weight (over the weights' divisor): a uniform turn is a draw by weight. Rejecting
	 * the turns of servers that are not candidates keeps the draw in proportion among
	 * those that are. Null if {@code draws} turns found none.
	 */
	static @Nullable PoolServer draw(Candidates candidates, List<PoolServer> servers, int[] order,
			@Nullable PoolServer not, int draws, IntUnaryOperator random) {
		for (int i = 0; i < draws; i++) {
			PoolServer server = servers.get(order[random.applyAsInt(order.length)]);
			if (server != not && candidates.accepts(server)) {
				return server;
			}
		}
		return null;
	}

	/**
	 * A candidate drawn by weight in one pass over every server, for when few are
	 * candidates: each one replaces the pick so far with the chance of its weight over
	 * the weight seen so far, which leaves each with the chance of its weight over the
	 * total.
	 */
	static @Nullable PoolServer scan(Candidates candidates, List<PoolServer> servers, IntUnaryOperator random) {
		PoolServer chosen = null;
		int total = 0;
		for (int i = 0; i < servers.size(); i++) {
			PoolServer server = servers.get(i);
			if (candidates.accepts(server)) {
				int weight = weight(server);
				total += weight;
				if (random.applyAsInt(total) < weight) {
					chosen = server;
				}
			}
		}
		return chosen;
	}

	/**
	 * The server's effective weight (its weight, less while it slow-starts), at least 1:
	 * the operator may set 0 between the candidates' check and this read.
	 */
	static int weight(PoolServer server) {
		return Math.max(1, server.state().effectiveWeight());
	}

}

package io.junction.balancing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

import org.jspecify.annotations.Nullable;

import io.junction.pools.PoolServer;

/**
 * HAProxy's {@code balance leastconn}, the way Envoy's least-request does it: two
 * distinct candidates drawn at random by weight, and the less loaded of the two takes the
 * request, load being the requests in flight to a server (its scur, counted by
 * {@code ServerTraffic}) over its weight; the first drawn on a tie, so that idle servers
 * share requests by weight. Two random choices avoid what the least loaded of all would
 * do, every Junction thread piling onto the same idle server at once, and cost no scan.
 * When the draws find fewer than two candidates (most of the pool down, failed or out of
 * rotation), every candidate is compared instead.
 *
 * <p>
 * Stateless but for the source of randomness: lock-free and without allocation.
 */
public final class LeastConnections implements Balancer {

	// Enough draws that a pool weighted 9:1 still finds its second server by drawing
	// nearly always.
	private static final int DRAWS = 8;

	private final IntUnaryOperator random;

	/** Draws with {@link ThreadLocalRandom}. */
	public LeastConnections() {
		this((bound) -> ThreadLocalRandom.current().nextInt(bound));
	}

	/**
	 * Draws with {@code random}, which maps a bound to an int from 0 inclusive to that
	 * bound exclusive: tests give a seeded one.
	 */
	public LeastConnections(IntUnaryOperator random) {
		this.random = random;
	}

	@Override
	public @Nullable PoolServer choose(Candidates candidates) {
		int[] order = candidates.order();
		if (order.length == 0) {
			return null;
		}
		List<PoolServer> servers = candidates.servers();
		PoolServer first = WeightedRandom.draw(candidates, servers, order, null, DRAWS, this.random);
		if (first != null) {
			PoolServer second = WeightedRandom.draw(candidates, servers, order, first, DRAWS, this.random);
			if (second != null) {
				return (compareLoad(second, first) < 0) ? second : first;
			}
		}
		return leastLoaded(candidates, servers, first);
	}

	/**
	 * The least loaded candidate of all. {@code first}, a candidate already drawn, wins
	 * its ties, so that idle servers still share by weight; other ties are broken at
	 * random by weight.
	 */
	private @Nullable PoolServer leastLoaded(Candidates candidates, List<PoolServer> servers,
			@Nullable PoolServer first) {
		PoolServer best = first;
		boolean keepOnTie = first != null;
		int tiedWeight = (first != null) ? WeightedRandom.weight(first) : 0;
		for (int i = 0; i < servers.size(); i++) {
			PoolServer server = servers.get(i);
			if (server == first || !candidates.accepts(server)) {
				continue;
			}
			int weight = WeightedRandom.weight(server);
			int comparison = (best != null) ? compareLoad(server, best) : -1;
			if (comparison < 0) {
				best = server;
				keepOnTie = false;
				tiedWeight = weight;
			}
			else if (comparison == 0 && !keepOnTie) {
				tiedWeight += weight;
				if (this.random.applyAsInt(tiedWeight) < weight) {
					best = server;
				}
			}
		}
		return best;
	}

	/**
	 * Compares the in-flight requests over the weight of {@code a} and {@code b}, without
	 * dividing.
	 */
	private static int compareLoad(PoolServer a, PoolServer b) {
		long aLoad = (long) a.traffic().current() * WeightedRandom.weight(b);
		long bLoad = (long) b.traffic().current() * WeightedRandom.weight(a);
		return Long.compare(aLoad, bLoad);
	}

}

package io.junction.balancing;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The statistical bound of the balancers' distribution tests. */
final class BalancerShares {

	private BalancerShares() {
	}

	/**
	 * Asserts that each server's count of {@code choices} is within 5% of its expected
	 * share (relative: 1/6 of 10,000 may be 1584 to 1750), and that no other server was
	 * chosen. With 10,000 choices and fixed seeds, the smallest share's bound is over two
	 * standard deviations wide.
	 */
	static void assertShares(Map<String, Integer> counts, int choices, Map<String, Double> shares) {
		assertThat(counts).containsOnlyKeys(shares.keySet());
		shares.forEach((server, share) -> {
			double expected = share * choices;
			assertThat((double) counts.get(server)).as("choices of %s in %s", server, counts)
				.isBetween(expected * 0.95, expected * 1.05);
		});
	}

}

package io.junction.balancing;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.TestPools;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Random choices by weight, with a seeded source, over pools built as configured. */
class WeightedRandomTests {

	private static final int CHOICES = 10_000;

	@Test
	void weightsOneTwoThreeGetSharesWithinFivePercentOfOneTwoThreeSixths() {
		Pool pool = TestPools.registry(1, 2, 3).current().get("app");
		Map<String, Integer> counts = choose(pool, new FailedServers());
		BalancerShares.assertShares(counts, CHOICES, Map.of("app01", 1.0 / 6, "app02", 2.0 / 6, "app03", 3.0 / 6));
	}

	@Test
	void serversThatAreNotCandidatesAreNeverChosenAndTheOthersKeepTheirProportion() {
		Pool pool = TestPools.registry(1, 2, 3, 4, 2).current().get("app");
		pool.servers().get(3).state().markDown("connection refused");
		pool.rotation().setWeight(pool.servers().get(4), 0);
		Map<String, Integer> counts = choose(pool, new FailedServers());
		assertThat(counts).containsOnlyKeys("app01", "app02", "app03");
		BalancerShares.assertShares(counts, CHOICES, Map.of("app01", 1.0 / 6, "app02", 2.0 / 6, "app03", 3.0 / 6));

		FailedServers failed = new FailedServers();
		failed.add(pool.servers().get(2));
		counts = choose(pool, failed);
		assertThat(counts).containsOnlyKeys("app01", "app02");
		BalancerShares.assertShares(counts, CHOICES, Map.of("app01", 1.0 / 3, "app02", 2.0 / 3));
	}

	@Test
	void whenMostOfTheWeightIsNotACandidateTheRestStillShareByWeight() {
		Pool pool = TestPools.registry(1, 1, 2, 256).current().get("app");
		pool.servers().get(3).state().markDown("connection refused");
		Map<String, Integer> counts = choose(pool, new FailedServers());
		assertThat(counts).containsOnlyKeys("app01", "app02", "app03");
		BalancerShares.assertShares(counts, CHOICES, Map.of("app01", 0.25, "app02", 0.25, "app03", 0.5));
	}

	@Test
	void noCandidateGivesNoServer() {
		Pool pool = TestPools.registry(1, 2).current().get("app");
		pool.servers().forEach((server) -> server.state().markDown("connection refused"));
		assertThat(new WeightedRandom(new SplittableRandom(1)::nextInt)
			.choose(Candidates.of(pool, new FailedServers(), System::nanoTime))).isNull();
		pool.servers().forEach((server) -> pool.rotation().setWeight(server, 0));
		assertThat(new WeightedRandom().choose(Candidates.of(pool, new FailedServers(), System::nanoTime))).isNull();
	}

	private static Map<String, Integer> choose(Pool pool, FailedServers failed) {
		WeightedRandom balancer = new WeightedRandom(new SplittableRandom(16)::nextInt);
		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < CHOICES; i++) {
			PoolServer server = Candidates.of(pool, failed, System::nanoTime).choose(balancer);
			counts.merge(String.valueOf((server != null) ? server.getName() : null), 1, Integer::sum);
		}
		return counts;
	}

}

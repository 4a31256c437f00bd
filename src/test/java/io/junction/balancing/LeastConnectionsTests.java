package io.junction.balancing;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.TestPools;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two random choices by weight, the less loaded taking the request, with a seeded source
 * and requests in flight that the test starts itself.
 */
class LeastConnectionsTests {

	private static final int CHOICES = 10_000;

	@Test
	void idleServersWeightedOneTwoThreeGetSharesWithinFivePercentOfOneTwoThreeSixths() {
		Pool pool = TestPools.registry(1, 2, 3).current().get("app");
		Map<String, Integer> counts = choose(pool, new FailedServers());
		BalancerShares.assertShares(counts, CHOICES, Map.of("app01", 1.0 / 6, "app02", 2.0 / 6, "app03", 3.0 / 6));
	}

	@Test
	void serversThatAreNotCandidatesAreNeverChosen() {
		Pool pool = TestPools.registry(1, 2, 3, 4, 2).current().get("app");
		pool.servers().get(3).state().markDown("connection refused");
		pool.rotation().setWeight(pool.servers().get(4), 0);
		FailedServers failed = new FailedServers();
		failed.add(pool.servers().get(2));
		Map<String, Integer> counts = choose(pool, failed);
		assertThat(counts).containsOnlyKeys("app01", "app02");
		BalancerShares.assertShares(counts, CHOICES, Map.of("app01", 1.0 / 3, "app02", 2.0 / 3));
	}

	@Test
	void aServerWithRequestsInFlightNeverWinsOverTwoIdleOnes() {
		Pool pool = TestPools.registry(1, 1, 1).current().get("app");
		inFlight(pool.servers().get(0), 1);
		Map<String, Integer> counts = choose(pool, new FailedServers());
		assertThat(counts).containsOnlyKeys("app02", "app03");
		BalancerShares.assertShares(counts, CHOICES, Map.of("app02", 0.5, "app03", 0.5));
	}

	@Test
	void loadIsRequestsInFlightOverWeight() {
		Pool pool = TestPools.registry(3, 1).current().get("app");
		// 5 of 3 is less than 2 of 1.
		inFlight(pool.servers().get(0), 5);
		inFlight(pool.servers().get(1), 2);
		assertThat(choose(pool, new FailedServers())).containsOnlyKeys("app01");
		inFlight(pool.servers().get(0), 2);
		assertThat(choose(pool, new FailedServers())).containsOnlyKeys("app02");
	}

	@Test
	void withFewCandidatesLeftTheLeastLoadedOfThemIsChosen() {
		Pool pool = TestPools.registry(1, 1, 1, 1, 1, 1, 256).current().get("app");
		for (int i = 2; i < 7; i++) {
			pool.servers().get(i).state().markDown("connection refused");
		}
		inFlight(pool.servers().get(0), 1);
		assertThat(choose(pool, new FailedServers())).containsOnlyKeys("app02");
		inFlight(pool.servers().get(1), 1);
		Map<String, Integer> counts = choose(pool, new FailedServers());
		BalancerShares.assertShares(counts, CHOICES, Map.of("app01", 0.5, "app02", 0.5));
		FailedServers failed = new FailedServers();
		failed.add(pool.servers().get(1));
		assertThat(choose(pool, failed)).containsOnlyKeys("app01");
	}

	@Test
	void noCandidateGivesNoServer() {
		Pool pool = TestPools.registry(1, 2).current().get("app");
		pool.servers().forEach((server) -> server.state().markDown("connection refused"));
		assertThat(new LeastConnections(new SplittableRandom(1)::nextInt)
			.choose(Candidates.of(pool, new FailedServers(), System::nanoTime))).isNull();
		pool.servers().forEach((server) -> pool.rotation().setWeight(server, 0));
		assertThat(new LeastConnections().choose(Candidates.of(pool, new FailedServers(), System::nanoTime))).isNull();
	}

	private static void inFlight(PoolServer server, int requests) {
		for (int i = 0; i < requests; i++) {
			server.started(() -> {
			});
		}
	}

	private static Map<String, Integer> choose(Pool pool, FailedServers failed) {
		LeastConnections balancer = new LeastConnections(new SplittableRandom(16)::nextInt);
		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < CHOICES; i++) {
			PoolServer server = Candidates.of(pool, failed, System::nanoTime).choose(balancer);
			counts.merge(String.valueOf((server != null) ? server.getName() : null), 1, Integer::sum);
		}
		return counts;
	}

}

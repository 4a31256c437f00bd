package io.junction.balancing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.TestPools;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Smooth weighted round robin over the candidates, without sockets. */
class WeightedRoundRobinBalancerTests {

	@Test
	void equalWeightsTakeStrictTurnsInConfigurationOrder() {
		Pool pool = TestPools.registry(1, 1, 1).current().get("app");
		assertThat(names(pool, 6, new FailedServers())).containsExactly("app01", "app02", "app03", "app01", "app02",
				"app03");
	}

	@Test
	void weightsThreeToOneInterleave() {
		Pool pool = TestPools.registry(3, 1).current().get("app");
		List<String> names = names(pool, 40, new FailedServers());
		assertThat(Collections.frequency(names, "app01")).isEqualTo(30);
		assertThat(names.subList(0, 4)).containsExactly("app01", "app01", "app02", "app01");
	}

	@Test
	void aServerThatIsNotACandidateIsSkippedAndItsTurnGoesToTheNext() {
		Pool pool = TestPools.registry(1, 1, 1).current().get("app");
		pool.servers().get(1).state().markDown("connection refused");
		assertThat(names(pool, 4, new FailedServers())).containsExactly("app01", "app03", "app03", "app01");
		FailedServers failed = new FailedServers();
		failed.add(pool.servers().get(0));
		assertThat(names(pool, 3, failed)).containsOnly("app03");
	}

	@Test
	void noCandidateGivesNoServer() {
		Pool pool = TestPools.registry(1, 1).current().get("app");
		pool.servers().forEach((server) -> server.state().markDown("connection refused"));
		assertThat(new WeightedRoundRobin().choose(Candidates.of(pool, new FailedServers(), System::nanoTime)))
			.isNull();
	}

	private static List<String> names(Pool pool, int requests, FailedServers failed) {
		WeightedRoundRobin balancer = new WeightedRoundRobin();
		List<String> names = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			PoolServer server = Candidates.of(pool, failed, System::nanoTime).choose(balancer);
			names.add((server != null) ? server.getName() : null);
		}
		return names;
	}

}

package io.junction.balancing;

import java.util.HashMap;
import java.util.Map;

import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.TestPools;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Consistent hashing with bounded loads over the candidates, without sockets. */
class ConsistentHashTests {

	private static final int KEYS = 10_000;

	@Test
	void theSameKeyAlwaysReachesTheSameServer() {
		Pool pool = TestPools.registry(1, 1, 1, 1, 1).current().get("app");
		ConsistentHash balancer = new ConsistentHash(1.25);
		Map<Integer, String> first = assign(pool, balancer);
		assertThat(assign(pool, balancer)).isEqualTo(first);
		assertThat(assign(pool, new ConsistentHash(1.25))).as("another Junction, the same ring").isEqualTo(first);
	}

	@Test
	void equalWeightsShareTheKeysEvenly() {
		Pool pool = TestPools.registry(1, 1, 1, 1, 1).current().get("app");
		Map<String, Integer> counts = counts(assign(pool, new ConsistentHash(1.25)));
		assertThat(counts).hasSize(5);
		counts.values().forEach((count) -> assertThat(count).isBetween(KEYS / 5 * 80 / 100, KEYS / 5 * 120 / 100));
	}

	@Test
	void weightsShareTheKeysInProportion() {
		Pool pool = TestPools.registry(1, 2, 3).current().get("app");
		Map<String, Integer> counts = counts(assign(pool, new ConsistentHash(1.25)));
		assertThat(counts.get("app01")).isBetween(KEYS / 6 * 80 / 100, KEYS / 6 * 120 / 100);
		assertThat(counts.get("app02")).isBetween(KEYS * 2 / 6 * 80 / 100, KEYS * 2 / 6 * 120 / 100);
		assertThat(counts.get("app03")).isBetween(KEYS * 3 / 6 * 80 / 100, KEYS * 3 / 6 * 120 / 100);
	}

	@Test
	void removingOneOfFiveServersMovesOnlyItsOwnKeys() {
		Map<Integer, String> five = assign(TestPools.registry(1, 1, 1, 1, 1).current().get("app"),
				new ConsistentHash(1.25));
		Map<Integer, String> four = assign(TestPools.registry(1, 1, 1, 1).current().get("app"),
				new ConsistentHash(1.25));
		int moved = 0;
		for (int key = 0; key < KEYS; key++) {
			if (!five.get(key).equals(four.get(key))) {
				moved++;
				assertThat(five.get(key)).as("only the removed server's keys move").isEqualTo("app05");
			}
		}
		assertThat(moved).as("about a fifth of the keys").isBetween(KEYS * 15 / 100, KEYS * 25 / 100);
	}

	@Test
	void aServerThatGoesDownMovesOnlyItsKeysAndTakesThemBackWhenItReturns() {
		Pool pool = TestPools.registry(1, 1, 1, 1, 1).current().get("app");
		ConsistentHash balancer = new ConsistentHash(1.25);
		Map<Integer, String> before = assign(pool, balancer);
		PoolServer third = pool.servers().get(2);
		third.state().markDown("connection refused");
		Map<Integer, String> down = assign(pool, balancer);
		for (int key = 0; key < KEYS; key++) {
			if (!before.get(key).equals("app03")) {
				assertThat(down.get(key)).isEqualTo(before.get(key));
			}
		}
		assertThat(down).doesNotContainValue("app03");
		third.state().markUp();
		assertThat(assign(pool, balancer)).isEqualTo(before);
	}

	@Test
	void boundedLoadsKeepEveryServerUnderTheFactorWhenOneKeyIsHot() {
		Pool pool = TestPools.registry(1, 1, 1, 1, 1).current().get("app");
		ConsistentHash balancer = new ConsistentHash(1.25);
		int total = 0;
		for (int i = 0; i < 1000; i++) {
			// Half the requests carry one key; none of them ends.
			long key = ConsistentHash.hash((i % 2 == 0) ? "/hot" : "/cold/" + i);
			PoolServer server = Candidates.keyed(pool, new FailedServers(), System::nanoTime, key).choose(balancer);
			server.traffic().started();
			total++;
			assertThat(server.traffic().current()).isLessThanOrEqualTo((int) Math.ceil(1.25 * Math.max(total, 5) / 5));
		}
		for (PoolServer server : pool.servers()) {
			assertThat(server.traffic().current()).isLessThanOrEqualTo((int) Math.ceil(1.25 * 1000 / 5));
		}
	}

	@Test
	void aKeyStaysOnItsServerWhileFewRequestsAreInFlight() {
		Pool pool = TestPools.registry(1, 1, 1, 1, 1).current().get("app");
		ConsistentHash balancer = new ConsistentHash(1.25);
		long key = ConsistentHash.hash("/cached/object");
		PoolServer first = Candidates.keyed(pool, new FailedServers(), System::nanoTime, key).choose(balancer);
		// The previous request of the same key has not quite ended.
		first.traffic().started();
		assertThat(Candidates.keyed(pool, new FailedServers(), System::nanoTime, key).choose(balancer)).isSameAs(first);
	}

	@Test
	void aFailedServerIsSkippedForTheNextOnTheRing() {
		Pool pool = TestPools.registry(1, 1, 1).current().get("app");
		ConsistentHash balancer = new ConsistentHash(1.25);
		long key = ConsistentHash.hash("/some/key");
		PoolServer first = Candidates.keyed(pool, new FailedServers(), System::nanoTime, key).choose(balancer);
		FailedServers failed = new FailedServers();
		failed.add(first);
		PoolServer retry = Candidates.keyed(pool, failed, System::nanoTime, key).choose(balancer);
		assertThat(retry).isNotNull().isNotSameAs(first);
	}

	private static Map<Integer, String> assign(Pool pool, ConsistentHash balancer) {
		Map<Integer, String> servers = new HashMap<>();
		for (int key = 0; key < KEYS; key++) {
			long hash = ConsistentHash.hash("/objects/" + key);
			PoolServer server = Candidates.keyed(pool, new FailedServers(), System::nanoTime, hash).choose(balancer);
			servers.put(key, server.getName());
		}
		return servers;
	}

	private static Map<String, Integer> counts(Map<Integer, String> assignment) {
		Map<String, Integer> counts = new HashMap<>();
		assignment.values().forEach((name) -> counts.merge(name, 1, Integer::sum));
		return counts;
	}

}

package io.junction.balancing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.junction.pools.AdminState;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.TestPools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backup servers under every balancer: they take nothing while a normal server may, the
 * first of them takes everything once none may (or all of them by weight with
 * all-backups), and a normal server that comes back takes everything again.
 */
class BackupServersTests {

	private static final int CHOICES = 10_000;

	private final AtomicLong clock = new AtomicLong(1_000_000_000L);

	static List<String> balancers() {
		return List.of("round-robin", "least-connections", "random", "hash");
	}

	@ParameterizedTest
	@MethodSource("balancers")
	void backupsTakeNothingWhileANormalServerIsUp(String balance) {
		Pool pool = TestPools.withBackups(false, new int[] { 1, 1, 1, 1 }, 2, 3);
		List<PoolServer> servers = pool.servers();
		servers.get(0).state().markDown("connection refused");
		assertThat(choices(pool, balancer(balance), new FailedServers())).containsOnlyKeys("app02");
	}

	@ParameterizedTest
	@MethodSource("balancers")
	void whenEveryNormalServerIsDownTheFirstBackupTakesEverything(String balance) {
		Pool pool = TestPools.withBackups(false, new int[] { 1, 1, 1, 1 }, 2, 3);
		List<PoolServer> servers = pool.servers();
		servers.get(0).state().markDown("connection refused");
		servers.get(1).state().markDown("connection refused");
		assertThat(choices(pool, balancer(balance), new FailedServers())).containsOnlyKeys("app03");
	}

	@ParameterizedTest
	@MethodSource("balancers")
	void withAllBackupsTheBackupsShareByWeight(String balance) {
		Pool pool = TestPools.withBackups(true, new int[] { 1, 1, 3 }, 1, 2);
		pool.servers().get(0).state().markDown("connection refused");
		Map<String, Integer> counts = choices(pool, balancer(balance), new FailedServers());
		BalancerShares.assertShares(counts, CHOICES, Map.of("app02", 0.25, "app03", 0.75));
	}

	@ParameterizedTest
	@MethodSource("balancers")
	void aNormalServerThatComesBackTakesEverythingAgain(String balance) {
		Pool pool = TestPools.withBackups(true, new int[] { 1, 1, 1 }, 2);
		List<PoolServer> servers = pool.servers();
		Balancer balancer = balancer(balance);
		servers.get(0).state().markDown("connection refused");
		servers.get(1).state().markDown("connection refused");
		assertThat(choices(pool, balancer, new FailedServers())).containsOnlyKeys("app03");
		servers.get(1).state().markUp();
		assertThat(choices(pool, balancer, new FailedServers())).containsOnlyKeys("app02");
	}

	@ParameterizedTest
	@MethodSource("balancers")
	void aBackupIsUsedWhenTheRequestFailedOnEveryNormalServerAndTheNextBackupWhenItFailedTheFirst(String balance) {
		Pool pool = TestPools.withBackups(false, new int[] { 1, 1, 1 }, 1, 2);
		List<PoolServer> servers = pool.servers();
		FailedServers failed = new FailedServers();
		failed.add(servers.get(0));
		assertThat(choices(pool, balancer(balance), failed)).containsOnlyKeys("app02");
		failed.add(servers.get(1));
		assertThat(choices(pool, balancer(balance), failed)).containsOnlyKeys("app03");
	}

	@ParameterizedTest
	@MethodSource("balancers")
	void backupsComeBeforePanicModeAndEjectedNormalServersBeforeEjectedBackups(String balance) {
		Pool pool = TestPools.withBackups(false, new int[] { 1, 1 }, 1);
		List<PoolServer> servers = pool.servers();
		servers.get(0).state().eject(this.clock.get() + Duration.ofSeconds(10).toNanos(), "connection reset");
		Candidates candidates = Candidates.of(pool, new FailedServers(), this.clock::get);
		assertThat(candidates.choose(balancer(balance))).isSameAs(servers.get(1));
		assertThat(candidates.isPanic()).isFalse();

		servers.get(1).state().eject(this.clock.get() + Duration.ofSeconds(10).toNanos(), "connection reset");
		candidates = Candidates.of(pool, new FailedServers(), this.clock::get);
		assertThat(candidates.choose(balancer(balance))).isSameAs(servers.get(0));
		assertThat(candidates.isPanic()).isTrue();
	}

	@ParameterizedTest
	@MethodSource("balancers")
	void normalServersInMaintenanceLeaveTheRequestsToTheBackups(String balance) {
		Pool pool = TestPools.withBackups(false, new int[] { 1, 1 }, 1);
		List<PoolServer> servers = pool.servers();
		pool.rotation().setAdminState(servers.get(0), AdminState.MAINT);
		assertThat(choices(pool, balancer(balance), new FailedServers())).containsOnlyKeys("app02");
	}

	private Map<String, Integer> choices(Pool pool, Balancer balancer, FailedServers failed) {
		Map<String, Integer> counts = new HashMap<>();
		Random keys = new Random(7);
		for (int i = 0; i < CHOICES; i++) {
			Candidates candidates = Candidates.keyed(pool, failed, this.clock::get, keys.nextLong());
			PoolServer chosen = candidates.choose(balancer);
			assertThat(chosen).isNotNull();
			counts.merge(chosen.getName(), 1, Integer::sum);
		}
		return counts;
	}

	private static Balancer balancer(String balance) {
		Random random = new Random(42);
		Map<String, Supplier<Balancer>> balancers = Map.of("round-robin", WeightedRoundRobin::new, "least-connections",
				() -> new LeastConnections(random::nextInt), "random", () -> new WeightedRandom(random::nextInt),
				"hash", () -> new ConsistentHash(1.25));
		return balancers.get(balance).get();
	}

}

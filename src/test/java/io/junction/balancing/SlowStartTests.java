package io.junction.balancing;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import io.junction.pools.Pool;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolServer;
import io.junction.pools.PoolsProperties;
import io.junction.pools.TestPools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow start (HAProxy {@code slowstart}) under the balancers that draw from the rotation
 * order: a server that comes UP takes a share that grows from 1/20 of its weight to all
 * of it over the period, measured in windows of 10,000 choices on a clock the test moves
 * (each step is the one the scheduler would take then). Servers up at start-up do not
 * ramp, as in HAProxy, and without slow start nothing changes.
 */
class SlowStartTests {

	private static final int CHOICES = 10_000;

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	// Far from System.nanoTime(), so that nothing but the test's steps ramps.
	private final long t0 = 1_000 * SECOND;

	static List<String> balancers() {
		return List.of("round-robin", "random", "least-connections");
	}

	@ParameterizedTest
	@MethodSource("balancers")
	void serverThatComesUpTakesAGrowingShareOverThePeriod(String balance) {
		Pool pool = pool(Duration.ofSeconds(30), 1, 1);
		PoolServer restarted = pool.servers().get(1);
		Balancer balancer = balancer(balance);
		restarted.state().markDown("connection refused");
		restarted.state().markUp(this.t0);

		// 1/20 of a weight against 1: 1/21 of the requests.
		assertThat(shareAt(pool, balancer, this.t0, restarted)).isBetween(0.035, 0.06);
		// 7/20 against 1 (1 + 19 * 10/30 twentieths): 7/27.
		assertThat(shareAt(pool, balancer, this.t0 + 10 * SECOND, restarted)).isBetween(0.22, 0.30);
		// 13/20 against 1: 13/33.
		assertThat(shareAt(pool, balancer, this.t0 + 20 * SECOND, restarted)).isBetween(0.35, 0.44);
		// The period is over: an even share, and the ramp has ended.
		assertThat(shareAt(pool, balancer, this.t0 + 30 * SECOND, restarted)).isBetween(0.48, 0.52);
		assertThat(restarted.state().isRamping()).isFalse();
		assertThat(pool.rotation().step(this.t0 + 31 * SECOND)).isFalse();
	}

	@Test
	void aServerComingUpHasItsStartingWeightInTheRotationBeforeItIsUp() {
		Pool pool = pool(Duration.ofSeconds(30), 1, 1);
		PoolServer restarted = pool.servers().get(1);
		restarted.state().markDown("connection refused");
		assertThat(turns(pool, 1)).as("while DOWN, its turns at full weight").isEqualTo(turns(pool, 0));

		pool.rotation().comingUp(restarted);

		assertThat(restarted.state().isUp()).isFalse();
		assertThat(turns(pool, 1) * 20).as("1/20 of the other's turns").isEqualTo(turns(pool, 0));
	}

	private static long turns(Pool pool, int server) {
		return Arrays.stream(pool.rotation().order()).filter((index) -> index == server).count();
	}

	@Test
	void rampKeepsTheWeightsRatioOfServersWeightedUnevenly() {
		Pool pool = pool(Duration.ofSeconds(20), 3, 1);
		PoolServer restarted = pool.servers().get(0);
		restarted.state().markDown("connection refused");
		restarted.state().markUp(this.t0);
		// 1/20 of weight 3 against 1: 3/23; half-way (10/20 twentieths) 30/50.
		assertThat(shareAt(pool, new WeightedRoundRobin(), this.t0, restarted)).isBetween(0.12, 0.14);
		assertThat(restarted.details(this.t0)).containsEntry("weight", 3).containsEntry("effectiveWeight", 0.15);
		assertThat(shareAt(pool, new WeightedRoundRobin(), this.t0 + 10 * SECOND, restarted)).isBetween(0.59, 0.61);
		assertThat(shareAt(pool, new WeightedRoundRobin(), this.t0 + 20 * SECOND, restarted)).isBetween(0.74, 0.76);
		assertThat(restarted.details(this.t0)).doesNotContainKey("effectiveWeight");
	}

	@ParameterizedTest
	@MethodSource("balancers")
	void serversUpAtStartUpTakeTheirFullShareAtOnce(String balance) {
		Pool pool = pool(Duration.ofSeconds(30), 1, 1);
		assertThat(pool.servers()).noneMatch((server) -> server.state().isRamping());
		assertThat(pool.rotation().step(this.t0)).isFalse();
		assertThat(shareAt(pool, balancer(balance), this.t0, pool.servers().get(1))).isBetween(0.48, 0.52);
	}

	@ParameterizedTest
	@MethodSource("balancers")
	void withoutSlowStartAServerThatComesUpTakesItsFullShareAtOnce(String balance) {
		Pool pool = pool(Duration.ZERO, 1, 1);
		PoolServer restarted = pool.servers().get(1);
		restarted.state().markDown("connection refused");
		restarted.state().markUp(this.t0);
		pool.rotation().rampUp();
		assertThat(shareAt(pool, balancer(balance), this.t0, restarted)).isBetween(0.48, 0.52);
		assertThat(pool.rotation().step(this.t0)).isFalse();
		assertThat(restarted.state().effectiveWeight()).isEqualTo(pool.servers().get(0).state().effectiveWeight());
	}

	@Test
	void serverThatAReloadAddsRampsUpAndTheOthersDoNot() {
		PoolsProperties properties = TestPools.properties(Map.of("app", new int[] { 1 }));
		properties.getBackends().get("app").setSlowStart(Duration.ofMinutes(10));
		PoolRegistry registry = new PoolRegistry(properties);
		PoolsProperties reloaded = TestPools.properties(Map.of("app", new int[] { 1, 1 }));
		reloaded.getBackends().get("app").setSlowStart(Duration.ofMinutes(10));
		registry.swap(reloaded);
		Pool pool = registry.current().get("app");
		PoolServer kept = pool.servers().get(0);
		PoolServer added = pool.servers().get(1);
		assertThat(kept.state().isRamping()).isFalse();
		assertThat(added.state().isRamping()).isTrue();
		assertThat(added.state().effectiveWeight()).isLessThan(kept.state().effectiveWeight() / 2);
	}

	private static Pool pool(Duration slowStart, int... weights) {
		PoolsProperties properties = TestPools.properties(Map.of("app", weights));
		properties.getBackends().get("app").setSlowStart(slowStart);
		return new PoolRegistry(properties).current().get("app");
	}

	/** The share of 10,000 choices that {@code server} takes once the ramp steps at t. */
	private static double shareAt(Pool pool, Balancer balancer, long t, PoolServer server) {
		pool.rotation().step(t);
		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < CHOICES; i++) {
			PoolServer chosen = Candidates.of(pool, new FailedServers(), () -> t).choose(balancer);
			assertThat(chosen).isNotNull();
			counts.merge(chosen.getName(), 1, Integer::sum);
		}
		return counts.getOrDefault(server.getName(), 0) / (double) CHOICES;
	}

	private static Balancer balancer(String balance) {
		Random random = new Random(42);
		Map<String, Supplier<Balancer>> balancers = Map.of("round-robin", WeightedRoundRobin::new, "least-connections",
				() -> new LeastConnections(random::nextInt), "random", () -> new WeightedRandom(random::nextInt));
		return balancers.get(balance).get();
	}

}

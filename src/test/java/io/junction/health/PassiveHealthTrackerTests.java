package io.junction.health;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.PoolsProperties;
import io.junction.pools.PoolRegistry;
import io.junction.pools.OnDown;
import io.junction.pools.TestPools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ejection on consecutive errors, for exactly the eject time, with a clock the test
 * moves; and the requests in flight to an ejected server cut short.
 */
@ExtendWith(OutputCaptureExtension.class)
class PassiveHealthTrackerTests {

	private final AtomicLong clock = new AtomicLong(5_000_000_000L);

	private final PassiveHealthTracker tracker = new PassiveHealthTracker(this.clock::get);

	@Test
	void consecutiveErrorsEjectForTheEjectTime() {
		Pool pool = pool(OnDown.CANCEL, false);
		PoolServer server = pool.servers().get(0);
		this.tracker.failed(pool, server, "connection reset");
		this.tracker.failed(pool, server, "connection reset");
		assertThat(server.state().isEjected(this.clock.get())).isFalse();
		this.tracker.failed(pool, server, "connection reset");
		assertThat(server.state().isEjected(this.clock.get())).isTrue();
		assertThat(server.state().ejections()).isEqualTo(1);

		this.clock.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
		assertThat(server.state().isEjected(this.clock.get())).isTrue();
		this.clock.addAndGet(1);
		assertThat(server.state().isEjected(this.clock.get())).isFalse();
	}

	@Test
	void aSuccessEndsTheRunOfErrors() {
		Pool pool = pool(OnDown.CANCEL, false);
		PoolServer server = pool.servers().get(0);
		this.tracker.failed(pool, server, "connection reset");
		this.tracker.failed(pool, server, "connection reset");
		this.tracker.responded(pool, server, 200);
		this.tracker.failed(pool, server, "connection reset");
		this.tracker.failed(pool, server, "connection reset");
		assertThat(server.state().isEjected(this.clock.get())).isFalse();
	}

	@Test
	void serverErrorsCountOnlyWithLayer7() {
		Pool plain = pool(OnDown.CANCEL, false);
		for (int i = 0; i < 5; i++) {
			this.tracker.responded(plain, plain.servers().get(0), 503);
		}
		assertThat(plain.servers().get(0).state().isEjected(this.clock.get())).isFalse();
		Pool layer7 = pool(OnDown.CANCEL, true);
		for (int i = 0; i < 3; i++) {
			this.tracker.responded(layer7, layer7.servers().get(0), 503);
		}
		assertThat(layer7.servers().get(0).state().isEjected(this.clock.get())).isTrue();
		assertThat(layer7.servers().get(0).state().lastFailure()).isEqualTo("HTTP 503");
	}

	@Test
	void ejectionCutsShortTheRequestsInFlightToTheServer() {
		Pool pool = pool(OnDown.CANCEL, false);
		PoolServer server = pool.servers().get(0);
		AtomicInteger cut = new AtomicInteger();
		PoolServer.InFlight first = cut::incrementAndGet;
		PoolServer.InFlight second = cut::incrementAndGet;
		server.started(first);
		server.started(second);
		for (int i = 0; i < 3; i++) {
			this.tracker.failed(pool, server, "connection reset");
		}
		assertThat(cut).hasValue(2);
		assertThat(server.traffic().current()).isEqualTo(2);
		server.ended(first);
		server.ended(second);
		assertThat(server.traffic().current()).isZero();
	}

	@Test
	void withOnDownWaitTheRequestsInFlightAreLeftAlone() {
		Pool pool = pool(OnDown.WAIT, false);
		PoolServer server = pool.servers().get(0);
		AtomicInteger cut = new AtomicInteger();
		server.started(cut::incrementAndGet);
		for (int i = 0; i < 3; i++) {
			this.tracker.failed(pool, server, "connection reset");
		}
		assertThat(server.state().isEjected(this.clock.get())).isTrue();
		assertThat(cut).hasValue(0);
	}

	@Test
	void atFiftyPercentFailuresOnThreeOfFourServersEjectOnlyTwo(CapturedOutput output) {
		Pool pool = pool(4, 50);
		for (int server = 0; server < 3; server++) {
			failThreeTimes(pool, pool.servers().get(server));
		}
		this.tracker.failed(pool, pool.servers().get(2), "connection reset");
		assertThat(output.getOut()).containsOnlyOnce("backend app server app03 is not ejected (3 consecutive errors: "
				+ "connection reset): max-ejected-percent 50 reached, until another server's ejection ends");
		assertThat(pool.ejectedCount(this.clock.get())).isEqualTo(2);
		assertThat(pool.servers().get(2).state().isEjected(this.clock.get())).isFalse();
		assertThat(pool.servers().get(2).state().ejections()).isZero();
	}

	@Test
	void whenAnEjectionEndsTheNextFailureOfAServerHeldByTheCapEjectsIt() {
		Pool pool = pool(4, 50);
		failThreeTimes(pool, pool.servers().get(0));
		this.clock.addAndGet(Duration.ofSeconds(5).toNanos());
		failThreeTimes(pool, pool.servers().get(1));
		failThreeTimes(pool, pool.servers().get(2));
		PoolServer held = pool.servers().get(2);
		assertThat(held.state().isEjected(this.clock.get())).isFalse();

		this.clock.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(pool.servers().get(0).state().isEjected(this.clock.get())).isFalse();
		this.tracker.failed(pool, held, "connection reset");
		assertThat(held.state().isEjected(this.clock.get())).isTrue();
		assertThat(pool.ejectedCount(this.clock.get())).isEqualTo(2);
	}

	@Test
	void oneServerMayAlwaysBeEjectedUnlessThePercentIsZero() {
		Pool small = pool(2, 10);
		failThreeTimes(small, small.servers().get(0));
		failThreeTimes(small, small.servers().get(1));
		assertThat(small.ejectedCount(this.clock.get())).isEqualTo(1);
		Pool none = pool(2, 0);
		failThreeTimes(none, none.servers().get(0));
		assertThat(none.ejectedCount(this.clock.get())).isZero();
	}

	@Test
	void failuresThatRaceEjectTheServerOnce() {
		Pool pool = pool(4, 50);
		PoolServer server = pool.servers().get(0);
		for (int i = 0; i < 6; i++) {
			this.tracker.failed(pool, server, "connection reset");
		}
		assertThat(server.state().ejections()).isEqualTo(1);
	}

	private void failThreeTimes(Pool pool, PoolServer server) {
		for (int i = 0; i < 3; i++) {
			this.tracker.failed(pool, server, "connection reset");
		}
	}

	private static Pool pool(int servers, int maxEjectedPercent) {
		int[] weights = new int[servers];
		java.util.Arrays.fill(weights, 1);
		PoolsProperties properties = TestPools.properties(java.util.Map.of("app", weights));
		properties.getBackends().get("app").getPassiveCheck().setMaxEjectedPercent(maxEjectedPercent);
		return new PoolRegistry(properties).current().get("app");
	}

	private static Pool pool(OnDown onDown, boolean layer7) {
		PoolsProperties properties = TestPools.properties(java.util.Map.of("app", new int[] { 1, 1 }));
		PoolsProperties.Pool pool = properties.getBackends().get("app");
		pool.setOnDown(onDown);
		pool.getPassiveCheck().setLayer7(layer7);
		return new PoolRegistry(properties).current().get("app");
	}

}

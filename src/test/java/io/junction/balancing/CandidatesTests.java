package io.junction.balancing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.junction.pools.AdminState;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.TestPools;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which servers may take a request, and panic mode, with a clock the test moves.
 */
class CandidatesTests {

	private final AtomicLong clock = new AtomicLong(1_000_000_000L);

	private final Pool pool = TestPools.registry(1, 1, 1, 1).current().get("app");

	private final List<PoolServer> servers = this.pool.servers();

	@Test
	void everyServerUpInRotationAndNotFailedIsACandidate() {
		assertThat(accepted(new FailedServers())).containsExactlyElementsOf(this.servers);
	}

	@Test
	void downEjectedDrainedInMaintenanceWeightZeroAndFailedServersAreNot() {
		this.servers.get(0).state().markDown("connection refused");
		eject(this.servers.get(1), Duration.ofSeconds(10));
		this.pool.rotation().setAdminState(this.servers.get(2), AdminState.DRAIN);
		FailedServers failed = new FailedServers();
		failed.add(this.servers.get(3));
		assertThat(accepted(failed)).isEmpty();

		this.pool.rotation().setAdminState(this.servers.get(2), AdminState.MAINT);
		assertThat(accepted(new FailedServers())).containsExactly(this.servers.get(3));
		this.pool.rotation().setWeight(this.servers.get(3), 0);
		assertThat(accepted(new FailedServers())).isEmpty();
	}

	@Test
	void ejectedServerIsACandidateAgainOnceItsEjectTimeIsOver() {
		eject(this.servers.get(0), Duration.ofSeconds(10));
		assertThat(accepted(new FailedServers())).doesNotContain(this.servers.get(0));
		this.clock.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
		assertThat(accepted(new FailedServers())).doesNotContain(this.servers.get(0));
		this.clock.addAndGet(1);
		assertThat(accepted(new FailedServers())).contains(this.servers.get(0));
	}

	@Test
	void whenEveryServerUpIsEjectedPanicModeTriesAnEjectedOne() {
		for (PoolServer server : this.servers) {
			eject(server, Duration.ofSeconds(10));
		}
		Candidates candidates = Candidates.of(this.pool, new FailedServers(), this.clock::get);
		PoolServer chosen = candidates.choose(new WeightedRoundRobin());
		assertThat(chosen).isNotNull();
		assertThat(candidates.isPanic()).isTrue();
	}

	@Test
	void panicModeNeverPicksAServerDownOrOutOfRotationOrFailed() {
		eject(this.servers.get(0), Duration.ofSeconds(10));
		this.servers.get(1).state().markDown("connection refused");
		this.pool.rotation().setAdminState(this.servers.get(2), AdminState.DRAIN);
		FailedServers failed = new FailedServers();
		failed.add(this.servers.get(3));
		for (int i = 0; i < 8; i++) {
			Candidates candidates = Candidates.of(this.pool, failed, this.clock::get);
			assertThat(candidates.choose(new WeightedRoundRobin())).isEqualTo(this.servers.get(0));
		}
		this.servers.get(0).state().markDown("connection refused");
		assertThat(Candidates.of(this.pool, failed, this.clock::get).choose(new WeightedRoundRobin())).isNull();
	}

	@Test
	void noPanicWhileOneServerIsAvailable() {
		eject(this.servers.get(0), Duration.ofSeconds(10));
		eject(this.servers.get(1), Duration.ofSeconds(10));
		eject(this.servers.get(2), Duration.ofSeconds(10));
		WeightedRoundRobin balancer = new WeightedRoundRobin();
		for (int i = 0; i < 8; i++) {
			Candidates candidates = Candidates.of(this.pool, new FailedServers(), this.clock::get);
			assertThat(candidates.choose(balancer)).isEqualTo(this.servers.get(3));
			assertThat(candidates.isPanic()).isFalse();
		}
	}

	private void eject(PoolServer server, Duration time) {
		server.state().eject(this.clock.get() + time.toNanos(), "connection reset");
	}

	private List<PoolServer> accepted(FailedServers failed) {
		Candidates candidates = Candidates.of(this.pool, failed, this.clock::get);
		List<PoolServer> accepted = new ArrayList<>();
		for (PoolServer server : this.servers) {
			if (candidates.accepts(server)) {
				accepted.add(server);
			}
		}
		return accepted;
	}

}

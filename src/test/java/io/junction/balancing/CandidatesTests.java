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

	@Test
	void aFullServerIsNoCandidateAndTheRequestWaitsOnlyOnceEveryServerIsFull() {
		Pool limited = TestPools.withMaxConnections(1, new int[] { 1, 1, 1 });
		List<PoolServer> servers = limited.servers();
		assertThat(servers.get(0).started(() -> {
		})).isTrue();
		assertThat(servers.get(0).started(() -> {
		})).as("a second request on a server with max-connections 1").isFalse();
		WeightedRoundRobin balancer = new WeightedRoundRobin();
		for (int i = 0; i < 6; i++) {
			assertThat(Candidates.of(limited, new FailedServers(), this.clock::get).choose(balancer))
				.isNotEqualTo(servers.get(0));
		}
		servers.get(1).started(() -> {
		});
		servers.get(2).started(() -> {
		});
		Candidates candidates = Candidates.of(limited, new FailedServers(), this.clock::get);
		assertThat(candidates.choose(balancer)).isNull();
		assertThat(candidates.mustWait()).isTrue();
		// Every server down as well as full: nothing to wait for.
		servers.forEach((server) -> server.state().markDown("connection refused"));
		Candidates none = Candidates.of(limited, new FailedServers(), this.clock::get);
		assertThat(none.choose(balancer)).isNull();
		assertThat(none.mustWait()).isFalse();
	}

	@Test
	void fullServersNeitherStartPanicModeNorHandTheRequestToBackups() {
		Pool limited = TestPools.withMaxConnections(1, new int[] { 1, 1, 1, 1 }, 3);
		List<PoolServer> servers = limited.servers();
		eject(servers.get(0), Duration.ofSeconds(10));
		servers.get(1).started(() -> {
		});
		servers.get(2).started(() -> {
		});
		Candidates candidates = Candidates.of(limited, new FailedServers(), this.clock::get);
		assertThat(candidates.choose(new WeightedRoundRobin())).isNull();
		assertThat(candidates.mustWait()).isTrue();
		assertThat(candidates.isPanic()).isFalse();
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

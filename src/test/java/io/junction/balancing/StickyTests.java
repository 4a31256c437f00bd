package io.junction.balancing;

import java.util.List;
import java.util.Map;

import io.junction.pools.AdminState;
import io.junction.pools.BackendPools;
import io.junction.pools.Pool;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolServer;
import io.junction.pools.TestPools;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The server a sticky cookie names wins while it is a candidate, and only then. */
class StickyTests {

	private final Pool pool = TestPools.registry(1, 1, 1).current().get("app");

	private final List<PoolServer> servers = this.pool.servers();

	private final Sticky sticky = new Sticky(new WeightedRoundRobin());

	@Test
	void requestedServerIsChosenEveryTime() {
		PoolServer requested = this.servers.get(2);
		for (int i = 0; i < 10; i++) {
			assertThat(choose(requested, new FailedServers())).isSameAs(requested);
		}
	}

	@Test
	void withoutARequestedServerThePoolsBalancerChooses() {
		assertThat(List.of(choose(null, new FailedServers()), choose(null, new FailedServers()),
				choose(null, new FailedServers())))
			.containsExactlyInAnyOrderElementsOf(this.servers);
	}

	@Test
	void requestedServerThatIsNoCandidateIsPassedOver() {
		PoolServer requested = this.servers.get(0);
		requested.state().markDown("connection refused");
		assertThat(choose(requested, new FailedServers())).isNotNull().isNotSameAs(requested);
		requested.state().markUp();
		this.pool.rotation().setAdminState(requested, AdminState.DRAIN);
		assertThat(choose(requested, new FailedServers())).isNotNull().isNotSameAs(requested);
		this.pool.rotation().setAdminState(requested, AdminState.READY);
		FailedServers failed = new FailedServers();
		failed.add(requested);
		assertThat(choose(requested, failed)).isNotNull().isNotSameAs(requested);
		assertThat(choose(requested, new FailedServers())).isSameAs(requested);
	}

	@Test
	void aRequestedServerThatIsOnlyFullIsWaitedFor() {
		Pool limited = TestPools.withMaxConnections(1, new int[] { 1, 1, 1 });
		PoolServer requested = limited.servers().get(1);
		requested.started(() -> {
		});
		Candidates candidates = Candidates.requested(limited, new FailedServers(), System::nanoTime, 0, requested);
		assertThat(candidates.choose(this.sticky)).isNull();
		assertThat(candidates.mustWait()).isTrue();
		// Down, it is left for another server, as before.
		requested.state().markDown("connection refused");
		assertThat(
				Candidates.requested(limited, new FailedServers(), System::nanoTime, 0, requested).choose(this.sticky))
			.isNotNull()
			.isNotSameAs(requested);
	}

	@Test
	void tokensDifferPerServerAndPoolAndShowNoName() {
		// Another registry stands for another replica, or a restart: the same tokens.
		BackendPools again = new PoolRegistry(
				TestPools.properties(Map.of("app", new int[] { 1 }, "web", new int[] { 1 })))
			.current();
		assertThat(again.get("app").servers().get(0).stickyToken()).isEqualTo(this.servers.get(0).stickyToken());
		assertThat(again.get("web").servers().get(0).stickyToken()).isNotEqualTo(this.servers.get(0).stickyToken());
		assertThat(this.servers).extracting(PoolServer::stickyToken)
			.doesNotHaveDuplicates()
			.allMatch((token) -> token.matches("[0-9a-f]{16}"));
		assertThat(this.pool.serverByStickyToken(this.servers.get(1).stickyToken())).isSameAs(this.servers.get(1));
		assertThat(this.pool.serverByStickyToken("app02")).isNull();
	}

	private PoolServer choose(PoolServer requested, FailedServers failed) {
		return Candidates.requested(this.pool, failed, System::nanoTime, 0, requested).choose(this.sticky);
	}

}

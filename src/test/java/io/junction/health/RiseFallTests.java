package io.junction.health;

import java.util.ArrayList;
import java.util.List;

import io.junction.pools.AdminState;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.ServerState;
import io.junction.pools.TestPools;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** HAProxy's rise and fall, check by check, without sockets. */
class RiseFallTests {

	private final Pool pool = TestPools.registry(1, 1).current().get("app");

	private final ServerState state = this.pool.servers().get(0).state();

	private final RiseFall riseFall = new RiseFall(2, 3);

	@Test
	void serverGoesDownAfterFallFailedChecksInARow() {
		assertThat(this.riseFall.failed(this.state, "connection refused")).isFalse();
		assertThat(this.riseFall.failed(this.state, "connection refused")).isFalse();
		assertThat(this.state.isUp()).isTrue();
		assertThat(this.riseFall.failed(this.state, "connection refused")).isTrue();
		assertThat(this.state.isUp()).isFalse();
		assertThat(this.state.lastFailure()).isEqualTo("connection refused");
		assertThat(this.state.checksFailed()).isEqualTo(3);
		// Already DOWN: a further failure changes nothing.
		assertThat(this.riseFall.failed(this.state, "connection refused")).isFalse();
	}

	@Test
	void whatMustPrecedeUpRunsWhileTheServerIsStillDown() {
		this.state.markDown("connection refused");
		List<Boolean> upWhenRun = new ArrayList<>();
		Runnable beforeUp = () -> upWhenRun.add(this.state.isUp());
		assertThat(this.riseFall.passed(this.state, beforeUp)).isFalse();
		assertThat(upWhenRun).as("not yet: rise is 2").isEmpty();
		assertThat(this.riseFall.passed(this.state, beforeUp)).isTrue();
		assertThat(upWhenRun).containsExactly(false);
		assertThat(this.state.isUp()).isTrue();
	}

	@Test
	void aPassedCheckStartsTheFallCountAgain() {
		this.riseFall.failed(this.state, "HTTP 500");
		this.riseFall.failed(this.state, "HTTP 500");
		this.riseFall.passed(this.state);
		this.riseFall.failed(this.state, "HTTP 500");
		this.riseFall.failed(this.state, "HTTP 500");
		assertThat(this.state.isUp()).isTrue();
	}

	@Test
	void serverComesUpAfterRisePassedChecksInARow() {
		for (int i = 0; i < 3; i++) {
			this.riseFall.failed(this.state, "connection refused");
		}
		assertThat(this.riseFall.passed(this.state)).isFalse();
		this.riseFall.failed(this.state, "connection refused");
		assertThat(this.riseFall.passed(this.state)).isFalse();
		assertThat(this.riseFall.passed(this.state)).isTrue();
		assertThat(this.state.isUp()).isTrue();
		assertThat(this.riseFall.passedInARow()).isEqualTo(2);
	}

	@Test
	void aServerLeavingMaintenanceComesUpOnItsFirstPassedCheck() {
		PoolServer server = this.pool.servers().get(1);
		this.pool.rotation().setAdminState(server, AdminState.MAINT);
		this.pool.rotation().setAdminState(server, AdminState.READY);
		assertThat(server.state().isUp()).isFalse();
		assertThat(this.riseFall.passed(server.state())).isTrue();
		assertThat(server.state().isUp()).isTrue();
	}

}

package io.junction.pools;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The order in which a pool's servers take turns, from their weights and admin states.
 */
class RotationTests {

	@Test
	void equalWeightsTakeTurnsInConfigurationOrder() {
		assertThat(Rotation.order(servers(1, 1, 1))).containsExactly(0, 1, 2);
		assertThat(Rotation.order(servers(7, 7, 7))).containsExactly(0, 1, 2);
	}

	@Test
	void weightsInterleaveRatherThanBurst() {
		assertThat(Rotation.order(servers(3, 1))).containsExactly(0, 0, 1, 0);
		assertThat(Rotation.order(servers(5, 1, 1))).containsExactly(0, 0, 1, 0, 2, 0, 0);
		assertThat(Rotation.order(servers(4, 2))).containsExactly(0, 1, 0);
	}

	@Test
	void serversOutOfRotationTakeNoTurn() {
		List<PoolServer> servers = servers(1, 0, 1, 1);
		Rotation rotation = new Rotation(servers, true);
		assertThat(rotation.order()).containsExactly(0, 2, 3);
		rotation.setAdminState(servers.get(2), AdminState.DRAIN);
		rotation.setAdminState(servers.get(3), AdminState.MAINT);
		assertThat(rotation.order()).containsExactly(0);
		rotation.setAdminState(servers.get(0), AdminState.DRAIN);
		assertThat(rotation.order()).isEmpty();
	}

	@Test
	void leavingMaintenanceInACheckedPoolWaitsForACheck() {
		List<PoolServer> servers = servers(1, 1);
		ServerState state = servers.get(1).state();
		Rotation rotation = new Rotation(servers, true);
		rotation.setAdminState(servers.get(1), AdminState.MAINT);
		assertThat(rotation.setAdminState(servers.get(1), AdminState.READY)).isEqualTo(AdminState.MAINT);
		assertThat(state.isUp()).isFalse();
		assertThat(state.isCheckPending()).isTrue();
		assertThat(state.markUp()).isTrue();
		assertThat(state.isCheckPending()).isFalse();
	}

	@Test
	void leavingMaintenanceInAnUncheckedPoolIsImmediate() {
		List<PoolServer> servers = servers(1, 1);
		Rotation rotation = new Rotation(servers, false);
		rotation.setAdminState(servers.get(1), AdminState.MAINT);
		rotation.setAdminState(servers.get(1), AdminState.READY);
		assertThat(servers.get(1).state().isUp()).isTrue();
		assertThat(rotation.order()).containsExactly(0, 1);
	}

	@Test
	void weightOutsideZeroTo256IsRefused() {
		List<PoolServer> servers = servers(1);
		Rotation rotation = new Rotation(servers, true);
		assertThatIllegalArgumentException().isThrownBy(() -> rotation.setWeight(servers.get(0), 257));
		assertThatIllegalArgumentException().isThrownBy(() -> rotation.setWeight(servers.get(0), -1));
		assertThat(rotation.setWeight(servers.get(0), 256)).isEqualTo(1);
	}

	private static List<PoolServer> servers(int... weights) {
		List<PoolServer> servers = new ArrayList<>();
		for (int i = 0; i < weights.length; i++) {
			servers.add(new PoolServer("app", "app0" + i, URI.create("http://127.0.0.1:1900" + i), weights[i]));
		}
		return servers;
	}

}

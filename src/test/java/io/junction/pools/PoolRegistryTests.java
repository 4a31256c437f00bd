package io.junction.pools;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import io.junction.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Swapping snapshots of the pools: what is kept, what goes, what is refused. */
class PoolRegistryTests {

	@Test
	void serverConfiguredAgainUnchangedKeepsItsStateCountersAndAdminState() {
		PoolRegistry registry = TestPools.registry(1, 1);
		Pool before = registry.current().get("app");
		PoolServer app01 = before.servers().get(0);
		app01.state().markDown("connection refused");
		app01.traffic().started();
		before.rotation().setAdminState(before.servers().get(1), AdminState.DRAIN);

		PoolRegistry.Swap swap = registry.swap(TestPools.properties(Map.of("app", new int[] { 1, 1 })));

		Pool after = registry.current().get("app");
		assertThat(after).isNotSameAs(before);
		assertThat(after.servers()).containsExactlyElementsOf(before.servers());
		assertThat(after.servers().get(0).state().isUp()).isFalse();
		assertThat(after.servers().get(0).traffic().requests()).isEqualTo(1);
		assertThat(after.servers().get(1).state().adminState()).isEqualTo(AdminState.DRAIN);
		assertThat(after.rotation().order()).containsExactly(0);
		assertThat(swap.added()).isEmpty();
		assertThat(swap.removed()).isEmpty();
		assertThat(registry.current().version()).isEqualTo(2);
	}

	@Test
	void keptServerTakesItsNewConfiguredWeight() {
		PoolRegistry registry = TestPools.registry(1, 1);
		PoolServer app02 = registry.current().get("app").server("app02");

		registry.swap(TestPools.properties(Map.of("app", new int[] { 1, 3 })));

		Pool after = registry.current().get("app");
		assertThat(after.server("app02")).isSameAs(app02);
		assertThat(app02.state().weight()).isEqualTo(3);
		assertThat(after.rotation().order()).containsExactly(1, 0, 1, 1);
	}

	@Test
	void serverThatBecomesABackupOnAReloadIsANewServerInTheBackupsOrder() {
		PoolRegistry registry = TestPools.registry(1, 1);
		PoolServer app02 = registry.current().get("app").server("app02");
		PoolsProperties properties = TestPools.properties(Map.of("app", new int[] { 1, 1 }));
		properties.getBackends().get("app").getServers().get(1).setBackup(true);

		registry.swap(properties);

		Pool after = registry.current().get("app");
		assertThat(after.server("app02")).isNotSameAs(app02);
		assertThat(after.server("app02").isBackup()).isTrue();
		assertThat(after.rotation().order()).containsExactly(0);
		assertThat(after.rotation().backupOrder()).containsExactly(1);
		assertThat(after.server("app02").details(0)).containsEntry("backup", true);
		assertThat(after.server("app01").details(0)).doesNotContainKey("backup");
	}

	@Test
	void keptServerKeepsTheWeightTheOperatorSetOverItsConfiguredOne() {
		PoolRegistry registry = TestPools.registry(1, 1);
		Pool before = registry.current().get("app");
		before.rotation().setWeight(before.server("app02"), 0);

		registry.swap(TestPools.properties(Map.of("app", new int[] { 1, 3 })));

		Pool after = registry.current().get("app");
		assertThat(after.server("app02").state().weight()).isZero();
		assertThat(after.rotation().order()).containsExactly(0);
	}

	@Test
	void refusedConfigurationChangesNoKeptServersWeight() {
		PoolRegistry registry = new PoolRegistry(
				TestPools.properties(Map.of("app", new int[] { 1 }, "web", new int[] { 1 })));
		PoolServer app01 = registry.current().get("app").server("app01");

		assertThatExceptionOfType(InvalidConfigurationException.class).isThrownBy(
				() -> registry.swap(TestPools.properties(Map.of("app", new int[] { 5 }, "web", new int[] { 300 }))));

		assertThat(app01.state().weight()).isEqualTo(1);
	}

	@Test
	void discoveredAddressesBecomeServersAwaitingTheirFirstCheck() {
		PoolRegistry registry = new PoolRegistry(discovering("app.test"));
		InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 19950);

		PoolRegistry.Swap swap = registry.discovered("app", List.of(address));

		PoolServer found = registry.current().get("app").server("app.test@127.0.0.1:19950");
		assertThat(swap.added()).containsExactly(found);
		assertThat(found.isDiscovered()).isTrue();
		assertThat(found.getUri()).hasToString("http://127.0.0.1:19950");
		assertThat(found.state().isUp()).as("not yet checked").isFalse();
		assertThat(registry.current().get("app").server("app01").state().isUp()).isTrue();
		assertThat(registry.discovered("app", List.of(address))).as("the same addresses again").isNull();
	}

	@Test
	void reloadKeepsDiscoveredServersWhileThePoolLooksUpTheSameName() {
		PoolRegistry registry = new PoolRegistry(discovering("app.test"));
		registry.discovered("app", List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 19950)));
		PoolServer found = registry.current().get("app").server("app.test@127.0.0.1:19950");

		registry.swap(discovering("app.test"));
		assertThat(registry.current().get("app").server("app.test@127.0.0.1:19950")).isSameAs(found);

		PoolRegistry.Swap swap = registry.swap(discovering("other.test"));
		assertThat(swap.removed()).containsExactly(found);
		assertThat(registry.current().get("app").servers()).extracting(PoolServer::getName).containsExactly("app01");
	}

	private static PoolsProperties discovering(String name) {
		PoolsProperties properties = TestPools.properties(Map.of("app", new int[] { 1 }));
		PoolsProperties.Discovery discovery = new PoolsProperties.Discovery();
		discovery.setDns(name);
		discovery.setPort(19950);
		properties.getBackends().get("app").setDiscovery(discovery);
		return properties;
	}

	@Test
	void serverWithANewUrlIsANewServerAndTheOldOneIsRemoved() {
		PoolRegistry registry = TestPools.registry(1, 1);
		PoolServer old = registry.current().get("app").server("app02");
		PoolsProperties next = TestPools.properties(Map.of("app", new int[] { 1 }));
		next.getBackends().get("app").getServers().add(TestPools.server("app02", "http://127.0.0.1:19999", 1));
		next.getBackends().get("app").getServers().add(TestPools.server("app03", "http://127.0.0.1:19998", 1));

		PoolRegistry.Swap swap = registry.swap(next);

		assertThat(swap.removed()).containsExactly(old);
		assertThat(swap.added()).extracting(PoolServer::getName).containsExactly("app02", "app03");
		assertThat(swap.kept(registry.current().get("app").server("app01"))).isTrue();
		assertThat(registry.current().get("app").server("app02")).isNotSameAs(old);
	}

	@Test
	void removedPoolTakesItsServersAway() {
		PoolRegistry registry = new PoolRegistry(
				TestPools.properties(Map.of("app", new int[] { 1 }, "web", new int[] { 1, 1 })));
		List<PoolServer> web = registry.current().get("web").servers();

		PoolRegistry.Swap swap = registry.swap(TestPools.properties(Map.of("app", new int[] { 1 })));

		assertThat(swap.removed()).containsExactlyInAnyOrderElementsOf(web);
		assertThat(registry.current().get("web")).isNull();
	}

	@Test
	void badConfigurationIsRefusedNamingTheKeyAndChangesNothing() {
		PoolRegistry registry = TestPools.registry(1, 1);
		BackendPools before = registry.current();
		List<PoolRegistry.Swap> seen = new java.util.ArrayList<>();
		registry.addListener(seen::add);
		PoolsProperties bad = TestPools.properties(Map.of("app", new int[] { 1, 300 }));

		assertThatExceptionOfType(InvalidConfigurationException.class).isThrownBy(() -> registry.swap(bad))
			.satisfies((refusal) -> assertThat(refusal.getKey()).isEqualTo("junction.backends.app.servers[1].weight"));
		assertThat(registry.current()).isSameAs(before);
		assertThat(seen).isEmpty();
	}

	@Test
	void listenersHearOfEachSwapOnceItIsInPlace() {
		PoolRegistry registry = TestPools.registry(1);
		List<Long> versions = new java.util.ArrayList<>();
		registry.addListener((swap) -> versions.add(registry.current().version()));
		registry.swap(TestPools.properties(Map.of("app", new int[] { 1 })));
		registry.swap(TestPools.properties(Map.of("app", new int[] { 1, 1 })));
		assertThat(versions).containsExactly(2L, 3L);
	}

}

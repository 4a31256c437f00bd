package io.junction.balancing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.Clients;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.pools.ServerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Junction in front of two normal servers and a backup: the backup takes the
 * traffic once active checks find both normal servers DOWN, and gives it back when one is
 * UP again.
 */
class BackupServersIntegrationTests {

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02", "spare01");

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void backupTakesTheTrafficWhileEveryNormalServerIsDownAndGivesItBack() {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.addAll(List.of("junction.backends.app.servers[2].backup=true",
				"junction.backends.app.health-check.interval=300ms", "junction.backends.app.health-check.timeout=100ms",
				"junction.backends.app.health-check.rise=1", "junction.backends.app.health-check.fall=1"));
		try (RunningJunction junction = Startup.junction(Map.of("app", this.servers),
				properties.toArray(String[]::new))) {
			TestAppServer app01 = this.servers.get(0);
			TestAppServer app02 = this.servers.get(1);
			TestAppServer spare = this.servers.get(2);
			assertThat(requestsTo(junction, spare)).isZero();

			app01.kill();
			app02.kill();
			ServerState app01State = junction.server("app", app01).state();
			ServerState app02State = junction.server("app", app02).state();
			await().atMost(Duration.ofSeconds(5)).until(() -> !app01State.isUp() && !app02State.isUp());
			assertThat(requestsTo(junction, spare)).isEqualTo(10);

			app02.restart();
			await().atMost(Duration.ofSeconds(5)).until(app02State::isUp);
			int before = app02.requestCount();
			assertThat(requestsTo(junction, spare)).isZero();
			assertThat(app02.requestCount() - before).isEqualTo(10);
		}
	}

	// Sends 10 requests through Junction; returns how many of them reached server.
	private static int requestsTo(RunningJunction junction, TestAppServer server) {
		int before = server.requestCount();
		for (int i = 0; i < 10; i++) {
			Clients.okBody(junction.traffic(), "/work");
		}
		return server.requestCount() - before;
	}

}

package io.junction.health;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.Load;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.pools.ServerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server killed in the middle of a load of 16 concurrent clients costs the clients
 * nothing: what was in flight to it and what was still sent its way is retried on the
 * others, and once its checks fail it gets no more attempts.
 */
class ServerKilledUnderLoadTests {

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02", "app03");

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void killedServerCostsNoRequestAndIsTakenOutOfRotation() throws Exception {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.add("junction.backends.app.health-check.interval=200ms");
		properties.add("junction.backends.app.health-check.timeout=100ms");
		try (RunningJunction junction = Startup.junction(Map.of("app", this.servers),
				properties.toArray(String[]::new));
				Load load = Load.start(URI.create("http://127.0.0.1:" + junction.port() + "/work"), 16)) {
			load.awaitSucceeded(2_000);
			TestAppServer victim = this.servers.get(1);
			victim.kill();
			ServerState state = junction.server("app", victim).state();
			await().atMost(Duration.ofSeconds(5)).until(() -> !state.isUp());
			long attemptsWhenDown = state.retries() + state.redispatches();
			load.awaitSucceeded(2_000);

			assertThat(load.failures()).isEmpty();
			assertThat(state.retries() + state.redispatches()).as("attempts on the dead server once DOWN")
				.isEqualTo(attemptsWhenDown);
			assertThat(state.lastFailure()).isEqualTo("connection refused");
			assertThat(state.retries() + state.redispatches()).as("requests sent elsewhere after the kill")
				.isGreaterThanOrEqualTo(3);
			assertThat(junction.scrape())
				.contains("junction_server_up{pool=\"app\",server=\"app02\"} 0.0",
						"junction_server_up{pool=\"app\",server=\"app01\"} 1.0")
				.containsPattern("junction_server_check_failures_total\\{pool=\"app\",server=\"app02\"} [1-9]")
				.containsPattern("junction_server_ejections_total\\{pool=\"app\",server=\"app02\"} \\d")
				.containsPattern("junction_server_(retries|redispatches)_total\\{pool=\"app\",server=\"app02\"} [1-9]")
				.containsPattern("junction_server_available\\{pool=\"app\",server=\"app02\"} 0.0");
			junction.management()
				.get()
				.uri("/actuator/health")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.components.pools.details.app.available")
				.isEqualTo("2 of 3")
				.jsonPath("$.components.pools.details.app.servers.app02.state")
				.isEqualTo("DOWN")
				.jsonPath("$.components.pools.details.app.servers.app02.lastFailure")
				.isEqualTo("connection refused")
				.jsonPath("$.components.pools.details.app.servers.app01.state")
				.isEqualTo("UP");
		}
	}

}

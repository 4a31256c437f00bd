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
 * A real Junction in front of two servers with a 6s slow start: once active checks find a
 * restarted server UP, its share of the requests, measured in windows of 40, starts near
 * 1/21 and rises to about half over the period, not at once.
 */
class SlowStartIntegrationTests {

	private static final int WINDOW = 40;

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02");

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void restartedServerTakesAGrowingShareOverTheSlowStart() {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.addAll(List.of("junction.backends.app.slow-start=6s",
				"junction.backends.app.health-check.interval=300ms", "junction.backends.app.health-check.timeout=100ms",
				"junction.backends.app.health-check.rise=1", "junction.backends.app.health-check.fall=1"));
		try (RunningJunction junction = Startup.junction(Map.of("app", this.servers),
				properties.toArray(String[]::new))) {
			TestAppServer app02 = this.servers.get(1);
			ServerState state = junction.server("app", app02).state();
			// Up at start-up: no slow start, an even share at once.
			assertThat(state.isRamping()).isFalse();
			assertThat(shareOf(junction, app02)).isBetween(0.4, 0.6);

			app02.kill();
			await().atMost(Duration.ofSeconds(5)).until(() -> !state.isUp());
			app02.restart();
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(state::isUp);
			long up = System.nanoTime();

			List<Double> shares = new ArrayList<>();
			await().atMost(Duration.ofSeconds(15))
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> {
					double share = shareOf(junction, app02);
					shares.add(share);
					return share >= 0.4;
				});
			Duration rampedIn = Duration.ofNanos(System.nanoTime() - up);
			// 1/20 of a weight against 1 at first; about 13/20 (0.4 of the requests) is
			// reached only some 4s into the 6s.
			assertThat(shares.get(0)).as("first window of %s", shares).isLessThan(0.2);
			assertThat(rampedIn).as("shares %s", shares).isGreaterThan(Duration.ofSeconds(3));
			await().atMost(Duration.ofSeconds(5)).until(() -> !state.isRamping());
			assertThat(shareOf(junction, app02)).isBetween(0.4, 0.6);
		}
	}

	// The share of a window of requests through Junction that reached server.
	private static double shareOf(RunningJunction junction, TestAppServer server) {
		int before = server.requestCount();
		for (int i = 0; i < WINDOW; i++) {
			Clients.okBody(junction.traffic(), "/work");
		}
		return (server.requestCount() - before) / (double) WINDOW;
	}

}

package io.junction.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.junction.Clients;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.pools.ServerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that comes back is in rotation again within {@code rise} intervals plus one,
 * and gets its share of the traffic.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServerComesBackTests {

	private static final Duration INTERVAL = Duration.ofMillis(300);

	private static final int RISE = 2;

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02");

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void restartedServerIsBackWithinRiseIntervalsPlusOne(CapturedOutput output) {
		String[] properties = { Startup.routeEverythingTo("app").get(0), Startup.routeEverythingTo("app").get(1),
				Startup.routeEverythingTo("app").get(2), "junction.backends.app.health-check.interval=300ms",
				"junction.backends.app.health-check.timeout=100ms", "junction.backends.app.health-check.rise=" + RISE };
		try (RunningJunction junction = Startup.junction(Map.of("app", this.servers), properties)) {
			TestAppServer victim = this.servers.get(1);
			ServerState state = junction.server("app", victim).state();
			victim.kill();
			await().atMost(Duration.ofSeconds(5)).until(() -> !state.isUp());

			victim.restart();
			await().atMost(INTERVAL.multipliedBy(RISE + 1)).until(state::isUp);

			int before = victim.requestCount();
			for (int i = 0; i < 10; i++) {
				Clients.okBody(junction.traffic(), "/again");
			}
			assertThat(victim.requestCount() - before).isEqualTo(5);
			assertThat(output.getOut())
				.containsPattern(
						"backend app server app02 is DOWN \\(3 failed checks: connection refused\\), 1 of 2 servers UP")
				.contains("backend app server app02 is UP (2 successful checks), 2 of 2 servers UP");
		}
	}

}

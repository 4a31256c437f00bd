package io.junction.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With every server of a pool DOWN, a request gets a readable 503 at once, not a hang;
 * and Junction stays ready, since the pool's sickness is not its own.
 */
class PoolAllDownTests {

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02");

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void requestToAPoolWithEveryServerDownGets503WithinConnectTimeout() {
		List<String> route = Startup.routeEverythingTo("app");
		try (RunningJunction junction = Startup.junction(Map.of("app", this.servers), route.get(0), route.get(1),
				route.get(2), "junction.backends.app.health-check.interval=200ms",
				"junction.backends.app.health-check.timeout=100ms", "junction.backends.app.connect-timeout=1s")) {
			this.servers.forEach(TestAppServer::kill);
			await().atMost(Duration.ofSeconds(5)).until(() -> junction.pool("app").upCount() == 0);

			long started = System.nanoTime();
			String body = junction.traffic()
				.get()
				.uri("/anything")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			Duration took = Duration.ofNanos(System.nanoTime() - started);

			assertThat(body).isEqualTo("503 Service Unavailable: route 'app': no server of pool 'app' is available\n");
			assertThat(took).isLessThan(Duration.ofSeconds(1));
			junction.management()
				.get()
				.uri("/actuator/health/readiness")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP");
			junction.management()
				.get()
				.uri("/actuator/health")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.components.pools.details.app.state")
				.isEqualTo("DOWN");
		}
	}

}

package io.junction.pools;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.TestAppServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** A pool's response-timeout bounds its routes' wait, unless a route sets its own. */
class PoolTimeoutsIntegrationTests {

	private final TestAppServer hanging = TestAppServer.start("app01").behave(Behaviour.HANG);

	@AfterEach
	void stopServer() {
		this.hanging.close();
	}

	@Test
	void poolResponseTimeoutAppliesToItsRoutes() {
		List<String> route = Startup.routeEverythingTo("app");
		try (RunningJunction junction = Startup.junction(Map.of("app", List.of(this.hanging)), route.get(0),
				route.get(1), route.get(2), "junction.backends.app.response-timeout=300ms")) {
			assertThat(timeTo504(junction)).isLessThan(Duration.ofSeconds(3));
		}
	}

	@Test
	void routeMetadataOverridesThePoolResponseTimeout() {
		List<String> route = Startup.routeEverythingTo("app");
		try (RunningJunction junction = Startup.junction(Map.of("app", List.of(this.hanging)), route.get(0),
				route.get(1), route.get(2), "junction.backends.app.response-timeout=30s",
				"spring.cloud.gateway.server.webflux.routes[0].metadata.response-timeout=300")) {
			assertThat(timeTo504(junction)).isLessThan(Duration.ofSeconds(3));
		}
	}

	private static Duration timeTo504(RunningJunction junction) {
		long started = System.nanoTime();
		junction.traffic().get().uri("/slow").exchange().expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
		return Duration.ofNanos(System.nanoTime() - started);
	}

}

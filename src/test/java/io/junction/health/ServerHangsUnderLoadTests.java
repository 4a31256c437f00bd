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
import io.junction.TestAppServer.Behaviour;
import io.junction.pools.ServerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that hangs (accepts connections, never answers) costs at most the requests in
 * flight to it when it hung, and nothing once its checks have failed {@code fall} times.
 */
class ServerHangsUnderLoadTests {

	private static final int CLIENTS = 16;

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02", "app03");

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void hangingServerCostsAtMostWhatWasInFlightThenNothing() throws Exception {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.add("junction.backends.app.health-check.path=/health");
		properties.add("junction.backends.app.health-check.interval=200ms");
		properties.add("junction.backends.app.health-check.timeout=100ms");
		properties.add("junction.backends.app.response-timeout=500ms");
		try (RunningJunction junction = Startup.junction(Map.of("app", this.servers),
				properties.toArray(String[]::new));
				Load load = Load.start(URI.create("http://127.0.0.1:" + junction.port() + "/work"), CLIENTS)) {
			load.awaitSucceeded(2_000);
			TestAppServer victim = this.servers.get(1);
			victim.behave(Behaviour.HANG);
			ServerState state = junction.server("app", victim).state();
			await().atMost(Duration.ofSeconds(5)).until(() -> !state.isUp());
			long down = System.nanoTime();
			load.awaitSucceeded(2_000);

			// At most one request per client can have been in flight to it when it hung.
			assertThat(load.failures()).hasSizeLessThanOrEqualTo(CLIENTS);
			assertThat(load.failuresSince(down)).isEmpty();
			assertThat(state.lastFailure()).isEqualTo("timeout after 100ms");
		}
	}

}

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
import io.junction.pools.PoolServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that hangs under load holds no client once its checks mark it DOWN, with the
 * pool's default timeouts and {@code on-down} (a 30 s response timeout, no try timeout):
 * the requests waiting on it are cut short and retried elsewhere, so the clients go on at
 * their pace. Only how fast the checks notice is set here (HTTP checks every 200 ms):
 * that is the checks' business, the promise is what happens once they have.
 */
class HungServerHoldsNoClientTests {

	private static final int CLIENTS = 16;

	private static final Duration WINDOW = Duration.ofSeconds(3);

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02", "app03");

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void hungServerCostsNoMoreThanWhatWasInFlightAndClientsKeepTheirThroughput() throws Exception {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.add("junction.backends.app.health-check.path=/health");
		properties.add("junction.backends.app.health-check.interval=200ms");
		properties.add("junction.backends.app.health-check.timeout=100ms");
		try (RunningJunction junction = Startup.junction(Map.of("app", this.servers),
				properties.toArray(String[]::new));
				Load load = Load.start(URI.create("http://127.0.0.1:" + junction.port() + "/work"), CLIENTS)) {
			load.awaitSucceeded(2_000);
			long before = completedDuring(load, WINDOW);

			TestAppServer victim = this.servers.get(1);
			PoolServer server = junction.server("app", victim);
			long hung = System.nanoTime();
			victim.behave(Behaviour.HANG);
			long during = completedDuring(load, WINDOW);
			assertThat(server.state().isUp()).isFalse();
			long down = System.nanoTime();
			load.awaitSucceeded(1_000);

			// Within the window the hang costs what it takes the checks to notice (a
			// second at most), not the 30 s response timeout. Held by the hung server,
			// the clients would all be stuck within a few requests and complete next to
			// nothing; a quarter leaves room for a shared, busy machine.
			assertThat(during).as("requests completed in %s before the hang: %d", WINDOW, before)
				.isGreaterThanOrEqualTo(before / 4);
			assertThat(load.failuresSince(hung)).hasSizeLessThanOrEqualTo(CLIENTS);
			assertThat(load.failuresSince(down)).isEmpty();
			await().atMost(Duration.ofSeconds(5)).until(() -> server.traffic().current() == 0);
		}
	}

	private static long completedDuring(Load load, Duration window) {
		long start = load.succeeded();
		long until = System.nanoTime() + window.toNanos();
		await().atMost(window.plusSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> System.nanoTime() - until >= 0);
		return load.succeeded() - start;
	}

}

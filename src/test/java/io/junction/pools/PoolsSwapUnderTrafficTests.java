package io.junction.pools;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.junction.Load;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A new snapshot of the pools swapped in under load: kept servers keep their health and
 * counters, a removed server is no longer checked and leaves the scrape, a new one is
 * checked and takes traffic, and no request fails.
 */
class PoolsSwapUnderTrafficTests {

	private static final int CLIENTS = 16;

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02", "app03");

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void swapUnderLoadKeepsKeptServersDropsRemovedOnesChecksNewOnesAndFailsNoRequest() throws Exception {
		TestAppServer app01 = this.servers.get(0);
		TestAppServer app02 = this.servers.get(1);
		TestAppServer app03 = this.servers.get(2);
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.add("junction.backends.app.health-check.path=/health");
		properties.add("junction.backends.app.health-check.interval=200ms");
		properties.add("junction.backends.app.health-check.timeout=100ms");
		try (RunningJunction junction = Startup.junction(Map.of("app", List.of(app01, app02)),
				properties.toArray(String[]::new));
				Load load = Load.start(URI.create("http://127.0.0.1:" + junction.port() + "/work"), CLIENTS)) {
			load.awaitSucceeded(1_000);
			PoolRegistry registry = junction.bean(PoolRegistry.class);
			PoolServer keptBefore = junction.server("app", app02);
			long keptRequests = keptBefore.traffic().requests();
			long keptChecks = keptBefore.state().lastCheckNanos();
			assertThat(keptRequests).isPositive();
			assertThat(keptChecks).isNotNegative();
			PoolServer removed = junction.server("app", app01);

			registry.swap(pools(Map.of("app02", app02, "app03", app03)));

			PoolServer kept = junction.server("app", app02);
			assertThat(kept).isSameAs(keptBefore);
			assertThat(kept.traffic().requests()).isGreaterThanOrEqualTo(keptRequests);
			assertThat(kept.state().isUp()).isTrue();
			assertThat(registry.current().version()).isEqualTo(2);

			// The new server is checked and takes its share.
			await().atMost(Duration.ofSeconds(5))
				.until(() -> app03.receivedSoFar().stream().anyMatch((request) -> request.uri().equals("/health")));
			await().atMost(Duration.ofSeconds(5)).until(() -> junction.server("app", app03).traffic().requests() > 100);
			// The removed one gets nothing once its last requests are over: no traffic,
			// no checks.
			await().atMost(Duration.ofSeconds(5)).until(() -> removed.traffic().current() == 0);
			int removedCount = app01.requestCount();
			await().during(Duration.ofMillis(1_000))
				.atMost(Duration.ofSeconds(3))
				.until(() -> app01.requestCount() == removedCount);
			load.awaitSucceeded(1_000);

			String scrape = junction.scrape();
			assertThat(scrape).contains("server=\"app03\"").contains("server=\"app02\"");
			assertThat(scrape).doesNotContain("server=\"app01\"");
			assertThat(load.failures()).isEmpty();
		}
	}

	/** The pool {@code app} with these servers, bound as configuration binds it. */
	private static PoolsProperties pools(Map<String, TestAppServer> servers) {
		Map<String, String> source = new LinkedHashMap<>();
		int i = 0;
		for (Map.Entry<String, TestAppServer> server : new java.util.TreeMap<>(servers).entrySet()) {
			source.put("junction.backends.app.servers[" + i + "].name", server.getKey());
			source.put("junction.backends.app.servers[" + i + "].url", server.getValue().url());
			i++;
		}
		source.put("junction.backends.app.health-check.path", "/health");
		source.put("junction.backends.app.health-check.interval", "200ms");
		source.put("junction.backends.app.health-check.timeout", "100ms");
		return new Binder(new MapConfigurationPropertySource(source)).bind("junction", PoolsProperties.class).get();
	}

}

package io.junction.config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.Load;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routes and pools follow their file without a restart: each change is applied within
 * seconds, under load, without a failed request, whether the file is renamed over or
 * swapped in as a Kubernetes ConfigMap.
 */
class ConfigReloadTests {

	private static final int CLIENTS = 16;

	private static final int RELOADS = 100;

	private static final Duration SEEN_WITHIN = Duration.ofSeconds(2);

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02", "app03");

	private final HttpClient client = HttpClient.newHttpClient();

	@TempDir
	Path directory;

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void hundredReloadsUnderLoadFailNoRequestAndEachIsSeenWithinTwoSeconds() throws Exception {
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.properties");
		config.renameOver(first());
		try (RunningJunction junction = Startup.junction(Map.of(), config.location());
				Load load = Load.start(URI.create("http://127.0.0.1:" + junction.port() + "/a/work"), CLIENTS)) {
			load.awaitSucceeded(500);
			List<Long> seenAfter = new ArrayList<>();
			for (int i = 1; i <= RELOADS; i++) {
				boolean second = (i % 2) == 1;
				long written = System.nanoTime();
				config.renameOver(second ? second() : first());
				int expected = second ? 200 : 404;
				await().atMost(SEEN_WITHIN)
					.pollInterval(Duration.ofMillis(10))
					.until(() -> status(junction, "/b/probe") == expected);
				seenAfter.add((System.nanoTime() - written) / 1_000_000);
			}
			List<Long> sorted = seenAfter.stream().sorted().toList();
			// A figure for the record, not a goal: the assertion is the 2 s above.
			System.out.println("Reload test: " + RELOADS + " reloads under " + CLIENTS + " clients seen after median "
					+ sorted.get(sorted.size() / 2) + " ms, max " + sorted.get(sorted.size() - 1) + " ms; "
					+ load.succeeded() + " requests");
			load.awaitSucceeded(500);
			assertThat(load.failures()).isEmpty();
			// Both rewrites and all three servers served the load.
			List<String> paths = new ArrayList<>();
			this.servers.forEach((server) -> server.receivedSoFar().forEach((request) -> paths.add(request.uri())));
			assertThat(paths).contains("/v1/work", "/v2/work");
			this.servers.forEach((server) -> assertThat(server.requestCount()).as(server.name()).isPositive());
			assertThat(junction.scrape())
				.contains("junction_config_reloads_total{result=\"applied\"} " + RELOADS + ".0");
		}
	}

	@Test
	void configMapSymlinkSwapIsApplied() throws Exception {
		ConfigDirectory config = ConfigDirectory.configMap(this.directory, "junction.properties", first());
		try (RunningJunction junction = Startup.junction(Map.of(), config.location())) {
			assertThat(status(junction, "/b/probe")).isEqualTo(404);
			config.swapConfigMap(second());
			await().atMost(SEEN_WITHIN).until(() -> status(junction, "/b/probe") == 200);
			config.swapConfigMap(first());
			await().atMost(SEEN_WITHIN).until(() -> status(junction, "/b/probe") == 404);
		}
	}

	@Test
	void renameOverIsApplied() throws Exception {
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.properties");
		config.renameOver(first());
		try (RunningJunction junction = Startup.junction(Map.of(), config.location())) {
			assertThat(status(junction, "/b/probe")).isEqualTo(404);
			ConfigurationReloader reloader = junction.bean(ConfigurationReloader.class);
			String before = reloader.loaded().version();
			config.renameOver(second());
			await().atMost(SEEN_WITHIN).until(() -> !reloader.loaded().version().equals(before));
			assertThat(junction.scrape()).as("the new route's meters before its first request")
				.contains("junction_route_requests_total{route=\"b\"} 0.0");
			assertThat(status(junction, "/b/probe")).isEqualTo(200);
		}
	}

	@Test
	void changedKeysOtherThanRoutesAndPoolsAreNamedAsWaitingForARestart() {
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.properties");
		config.renameOver(first());
		try (RunningJunction junction = Startup.junction(Map.of(), config.location())) {
			List<String> changed = new ArrayList<>(second());
			changed.add("junction.shutdown.drain-delay=3s");
			config.renameOver(changed);
			await().atMost(SEEN_WITHIN).until(() -> status(junction, "/b/probe") == 200);
			junction.management()
				.get()
				.uri("/actuator/config")
				.exchange()
				.expectBody()
				.jsonPath("$.restartNeededFor")
				.isEqualTo(List.of("junction.shutdown.drain-delay"));
		}
	}

	private int status(RunningJunction junction, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + junction.port() + path)).build();
		return this.client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/** Route /a/** rewritten to /v1/, pool app01 and app02; no route /b/**. */
	private List<String> first() {
		return configuration("/v1/", this.servers.get(0), this.servers.get(1), false);
	}

	/** Route /a/** rewritten to /v2/, pool app02 and app03; a route /b/**. */
	private List<String> second() {
		return configuration("/v2/", this.servers.get(1), this.servers.get(2), true);
	}

	private static List<String> configuration(String prefix, TestAppServer one, TestAppServer two, boolean routeB) {
		String pool = "junction.backends.app";
		List<String> lines = new ArrayList<>();
		lines.add(pool + ".servers[0].name=" + one.name());
		lines.add(pool + ".servers[0].url=" + one.url());
		lines.add(pool + ".servers[1].name=" + two.name());
		lines.add(pool + ".servers[1].url=" + two.url());
		String a = "spring.cloud.gateway.server.webflux.routes[0]";
		lines.add(a + ".id=a");
		lines.add(a + ".uri=lb://app");
		lines.add(a + ".predicates[0]=Path=/a/**");
		lines.add(a + ".filters[0]=RewritePath=/a/(?<rest>.*), " + prefix + "${rest}");
		if (routeB) {
			String b = "spring.cloud.gateway.server.webflux.routes[1]";
			lines.add(b + ".id=b");
			lines.add(b + ".uri=lb://app");
			lines.add(b + ".predicates[0]=Path=/b/**");
		}
		return lines;
	}

}

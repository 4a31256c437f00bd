package io.junction.config;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.pools.AdminState;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a reload does to servers: one configured again keeps its health, its admin state
 * and the weight the operator gave it; one removed finishes what it was sent, gets
 * nothing new, and then loses its connections.
 */
class ConfigReloadServerStateTests {

	private static final String POOL = "junction.backends.app";

	private static final String ROUTE = "spring.cloud.gateway.server.webflux.routes[0]";

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02", "app03");

	@TempDir
	Path directory;

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void keptServersKeepDownDrainAndTheOperatorsWeightAcrossAReload() {
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.properties");
		List<String> checked = List.of(POOL + ".health-check.path=/health", POOL + ".health-check.interval=200ms",
				POOL + ".health-check.timeout=100ms");
		config.renameOver(lines(this.servers, checked));
		try (RunningJunction junction = Startup.junction(Map.of(), config.location(), "junction.admin.enabled=true")) {
			TestAppServer app01 = this.servers.get(0);
			TestAppServer app02 = this.servers.get(1);
			TestAppServer app03 = this.servers.get(2);
			PoolServer down = junction.server("app", app01);
			app01.kill();
			await().atMost(Duration.ofSeconds(5)).until(() -> !down.state().isUp());
			setServer(junction, "app02", Map.of("state", "drain"));
			setServer(junction, "app03", Map.of("weight", 7));
			String before = junction.bean(ConfigurationReloader.class).loaded().version();

			List<String> changed = new ArrayList<>(checked);
			changed.add("spring.cloud.gateway.server.webflux.routes[1].id=b");
			changed.add("spring.cloud.gateway.server.webflux.routes[1].uri=lb://app");
			changed.add("spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/b/**");
			config.renameOver(lines(this.servers, changed));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> !junction.bean(ConfigurationReloader.class).loaded().version().equals(before));

			Pool pool = junction.pool("app");
			assertThat(pool.server("app01")).isSameAs(down);
			assertThat(down.state().isUp()).as("DOWN server still DOWN").isFalse();
			assertThat(pool.server("app02").state().adminState()).isEqualTo(AdminState.DRAIN);
			assertThat(pool.server("app03").state().weight()).isEqualTo(7);
			for (int i = 0; i < 20; i++) {
				junction.traffic().get().uri("/b/work").exchange().expectStatus().isOk();
			}
			assertThat(requestsFor(app02, "/b/")).as("requests to the drained server").isZero();
			assertThat(requestsFor(app03, "/b/")).isEqualTo(20);
		}
	}

	@Test
	void removedServersInFlightRequestCompletesThenItsConnectionsClose() throws Exception {
		TestAppServer app01 = this.servers.get(0).behave(TestAppServer.Behaviour.SLOW);
		TestAppServer app02 = this.servers.get(1);
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.properties");
		config.renameOver(lines(List.of(app01), List.of()));
		try (RunningJunction junction = Startup.junction(Map.of(), config.location())) {
			HttpClient client = HttpClient.newHttpClient();
			CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + junction.port() + "/a/slow")).build(),
					HttpResponse.BodyHandlers.ofString());
			await().atMost(Duration.ofSeconds(5)).until(() -> app01.requestCount() == 1);
			PoolServer removed = junction.server("app", app01);

			config.renameOver(lines(List.of(app02), List.of()));
			await().atMost(Duration.ofSeconds(5)).until(() -> junction.pool("app").server("app01") == null);

			junction.traffic()
				.get()
				.uri("/a/new")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.isEqualTo("app02");
			HttpResponse<String> response = inFlight.get();
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("app01");
			assertThat(removed.traffic().current()).isZero();
			assertThat(app01.requestCount()).isEqualTo(1);
			// Long before the pool's max-idle-time (30s) would close it.
			await().atMost(Duration.ofSeconds(5)).until(() -> app01.openConnections() == 0);
		}
	}

	@Test
	void removedPoolsInFlightRequestCompletesWhileItsRouteMovesToAnotherPool() throws Exception {
		TestAppServer app01 = this.servers.get(0).behave(TestAppServer.Behaviour.SLOW);
		TestAppServer app02 = this.servers.get(1);
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.properties");
		config.renameOver(lines(List.of(app01), List.of()));
		try (RunningJunction junction = Startup.junction(Map.of(), config.location())) {
			CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient()
				.sendAsync(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + junction.port() + "/a/slow")).build(),
						HttpResponse.BodyHandlers.ofString());
			await().atMost(Duration.ofSeconds(5)).until(() -> app01.requestCount() == 1);

			List<String> otherPool = new ArrayList<>();
			for (String line : lines(List.of(app02), List.of())) {
				otherPool.add(line.replace("junction.backends.app.", "junction.backends.other.")
					.replace("lb://app", "lb://other"));
			}
			config.renameOver(otherPool);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> junction.bean(io.junction.pools.PoolRegistry.class).current().get("app") == null);

			junction.traffic()
				.get()
				.uri("/a/new")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.isEqualTo("app02");
			HttpResponse<String> response = inFlight.get();
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("app01");
			await().atMost(Duration.ofSeconds(5)).until(() -> app01.openConnections() == 0);
		}
	}

	private static long requestsFor(TestAppServer server, String prefix) {
		return server.receivedSoFar().stream().filter((request) -> request.uri().startsWith(prefix)).count();
	}

	private void setServer(RunningJunction junction, String server, Map<String, Object> body) {
		junction.management()
			.post()
			.uri("/actuator/servers/app/{server}", server)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk();
	}

	private static List<String> lines(List<TestAppServer> servers, List<String> more) {
		List<String> lines = new ArrayList<>();
		for (int i = 0; i < servers.size(); i++) {
			lines.add(POOL + ".servers[" + i + "].name=" + servers.get(i).name());
			lines.add(POOL + ".servers[" + i + "].url=" + servers.get(i).url());
		}
		lines.add(ROUTE + ".id=a");
		lines.add(ROUTE + ".uri=lb://app");
		lines.add(ROUTE + ".predicates[0]=Path=/a/**");
		lines.addAll(more);
		return lines;
	}

}

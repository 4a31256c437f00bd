package io.junction.observability;

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

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stats page and its figures are served on the management port, and only there.
 * ({@link StatsPageBrowserTests} shows the page at work in a browser.)
 */
class StatsPageIntegrationTests {

	private final List<TestAppServer> website = TestAppServer.startAll("web01", "web02");

	@AfterEach
	void stopServers() {
		this.website.forEach(TestAppServer::close);
	}

	@Test
	void managementPortServesThePageAndTheFiguresOfEveryServer() {
		try (RunningJunction junction = Startup.junction(Map.of("website", this.website),
				Startup.routeEverythingTo("website").toArray(String[]::new))) {
			junction.management()
				.get()
				.uri("/junction")
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.TEXT_HTML)
				.expectBody(String.class)
				.value((page) -> assertThat(page).contains("<title>Junction stats</title>", "junction/stats"));
			for (int i = 0; i < 4; i++) {
				Clients.okBody(junction.traffic(), "/counted");
			}
			junction.management()
				.get()
				.uri("/junction/stats")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.pools[0].servers[*].requests")
				.isEqualTo(List.of(2, 2))
				.jsonPath("$.pools[0].servers[0].current")
				.isEqualTo(0)
				.jsonPath("$.pools[0].servers[0].serverErrors")
				.isEqualTo(0)
				.jsonPath("$.pools[0].name")
				.isEqualTo("website")
				.jsonPath("$.pools[0].available")
				.isEqualTo(2)
				.jsonPath("$.pools[0].servers[*].name")
				.isEqualTo(List.of("web01", "web02"))
				.jsonPath("$.pools[0].servers[0].state")
				.isEqualTo("UP")
				.jsonPath("$.pools[0].servers[0].url")
				.isEqualTo(this.website.get(0).url())
				.jsonPath("$.pools[0].servers[0].admin")
				.isEqualTo("READY")
				.jsonPath("$.pools[0].servers[0].weight")
				.isEqualTo(1);
		}
	}

	@Test
	void operatorsChangesShowInTheFigures() {
		try (RunningJunction junction = Startup.junction(Map.of("website", this.website),
				Startup.routeEverythingTo("website").get(0), Startup.routeEverythingTo("website").get(1),
				Startup.routeEverythingTo("website").get(2), "junction.admin.enabled=true")) {
			junction.management()
				.post()
				.uri("/actuator/servers/website/web02?state=drain&weight=7")
				.contentType(MediaType.APPLICATION_JSON)
				.exchange()
				.expectStatus()
				.isOk();
			junction.management()
				.get()
				.uri("/junction/stats")
				.exchange()
				.expectBody()
				.jsonPath("$.pools[0].available")
				.isEqualTo(1)
				.jsonPath("$.pools[0].servers[1].admin")
				.isEqualTo("DRAIN")
				.jsonPath("$.pools[0].servers[1].weight")
				.isEqualTo(7);
		}
	}

	@Test
	void pageAndFiguresShowTheBalanceAndTheBackupServers() {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("website"));
		properties.addAll(List.of("junction.backends.website.balance=least-connections",
				"junction.backends.website.servers[1].backup=true"));
		try (RunningJunction junction = Startup.junction(Map.of("website", this.website),
				properties.toArray(String[]::new))) {
			junction.management()
				.get()
				.uri("/junction")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.value((page) -> assertThat(page).contains("pool.balance", "\"Backup\"", "s.backup",
						"s.effectiveWeight"));
			junction.management()
				.get()
				.uri("/junction/stats")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.pools[0].balance")
				.isEqualTo("least-connections")
				.jsonPath("$.pools[0].servers[*].backup")
				.isEqualTo(List.of(false, true))
				.jsonPath("$.pools[0].servers[0].effectiveWeight")
				.doesNotExist();
		}
	}

	@Test
	void figuresShowTheWeightARestartedServerTakesWhileItSlowStarts() {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("website"));
		properties
			.addAll(List.of("junction.backends.website.slow-start=1m", "junction.backends.website.servers[1].weight=3",
					"junction.backends.website.health-check.interval=300ms",
					"junction.backends.website.health-check.timeout=100ms",
					"junction.backends.website.health-check.rise=1", "junction.backends.website.health-check.fall=1"));
		try (RunningJunction junction = Startup.junction(Map.of("website", this.website),
				properties.toArray(String[]::new))) {
			TestAppServer web02 = this.website.get(1);
			ServerState state = junction.server("website", web02).state();
			web02.kill();
			await().atMost(Duration.ofSeconds(5)).until(() -> !state.isUp());
			web02.restart();
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(state::isUp);
			// The ramp starts when the server comes UP; the rotation's next step lowers
			// its
			// weight to 1/20, soon after.
			await().atMost(Duration.ofSeconds(5)).until(() -> state.effectiveWeight() < 3 * 20);
			junction.management()
				.get()
				.uri("/junction/stats")
				.exchange()
				.expectBody()
				.jsonPath("$.pools[0].servers[1].weight")
				.isEqualTo(3)
				.jsonPath("$.pools[0].servers[1].effectiveWeight")
				.value(Double.class, (weight) -> assertThat(weight).isGreaterThan(0.0).isLessThan(1.0))
				.jsonPath("$.pools[0].servers[0].effectiveWeight")
				.doesNotExist();
		}
	}

	@Test
	void hashPoolsShowWhatTheyHashAndStickyPoolsTheirCookie() {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("website"));
		properties.addAll(List.of("junction.backends.website.balance=hash",
				"junction.backends.website.hash-on=header:X-User", "junction.backends.website.sticky.cookie=SRV"));
		try (RunningJunction junction = Startup.junction(Map.of("website", this.website),
				properties.toArray(String[]::new))) {
			junction.management()
				.get()
				.uri("/junction/stats")
				.exchange()
				.expectBody()
				.jsonPath("$.pools[0].balance")
				.isEqualTo("hash on header:X-User, sticky cookie SRV");
		}
	}

	@Test
	void trafficPortRoutesThePagesPathsLikeAnyOther() {
		try (RunningJunction junction = Startup.junction(Map.of("website", this.website),
				Startup.routeEverythingTo("website").toArray(String[]::new))) {
			for (String path : new String[] { "/junction", "/junction/stats" }) {
				junction.traffic()
					.get()
					.uri(path)
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody(String.class)
					.value((body) -> assertThat(body).isIn("web01", "web02"));
			}
		}
	}

}

package io.junction.observability;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.junction.RunningJunction;
import io.junction.Scrape;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real traffic through Junction to real app servers, then {@code /actuator/prometheus}
 * scraped over HTTP: the per-server and per-route figures move as the traffic says.
 */
class ServerMetricsIntegrationTests {

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02", "app03");

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void everyServerCountsItsRequestsResponsesBytesAndResponseTimes() {
		try (RunningJunction junction = start(this.servers)) {
			for (int i = 0; i < 30; i++) {
				junction.traffic().get().uri("/work").exchange().expectStatus().isOk();
			}
			Scrape scrape = afterRequests(junction, 30);
			for (TestAppServer server : this.servers) {
				String[] tags = { "pool", "app", "server", server.name() };
				assertThat(scrape.value("junction_server_requests_total", tags)).as(server.name()).isEqualTo(10);
				assertThat(scrape.value("junction_server_responses_total", with(tags, "code", "2xx"))).isEqualTo(10);
				assertThat(scrape.value("junction_server_responses_total", with(tags, "code", "5xx"))).isZero();
				assertThat(scrape.value("junction_server_max_requests", tags)).isEqualTo(1);
				assertThat(scrape.value("junction_server_connection_errors_total", tags)).isZero();
				assertThat(scrape.value("junction_server_response_errors_total", tags)).isZero();
				// Request line and headers of ten GETs; status line, headers and name of
				// ten answers.
				assertThat(scrape.value("junction_server_request_bytes_total", tags)).isGreaterThan(10 * 30);
				assertThat(scrape.value("junction_server_response_bytes_total", tags)).isGreaterThan(10 * 40);
				assertThat(scrape.value("junction_server_response_time_seconds_count", tags)).isEqualTo(10);
				assertThat(scrape.value("junction_server_response_time_seconds_bucket", with(tags, "le", "+Inf")))
					.isEqualTo(10);
				assertThat(scrape.value("junction_server_response_time_seconds_bucket", with(tags, "le", "0.001")))
					.isBetween(0.0, 10.0);
				assertThat(scrape.value("junction_server_up", tags)).isEqualTo(1);
				assertThat(scrape.value("junction_server_last_change_timestamp_seconds", tags))
					.isLessThanOrEqualTo(System.currentTimeMillis() / 1e3);
			}
			assertThat(scrape.value("junction_route_requests_total", "route", "app")).isEqualTo(30);
			assertThat(scrape.value("junction_route_responses_total", "route", "app", "code", "2xx")).isEqualTo(30);
			assertThat(scrape.value("junction_route_errors_total", "route", "app")).isZero();
			assertThat(scrape.value("junction_route_request_duration_seconds_count", "route", "app")).isEqualTo(30);
			assertThat(scrape.find("junction_route_request_duration_seconds_bucket", "route", "app"))
				.extracting((sample) -> sample.labels().get("le"))
				.contains("0.001", "0.01", "0.1", "1.0", "10.0", "+Inf");
			assertThat(scrape.value("junction_route_request_duration_seconds_bucket", "route", "app", "le", "+Inf"))
				.isEqualTo(30);
			assertThat(scrape.names()).as("Gateway's own request timer is off")
				.noneMatch((name) -> name.startsWith("spring_cloud_gateway_requests"));
		}
	}

	@Test
	void killedServerCountsConnectionErrorsAndRedispatchesThenGoesDown() {
		// Checks slow enough that app02 is still UP for the first requests after the
		// kill.
		try (RunningJunction junction = start(this.servers, "junction.backends.app.health-check.interval=1s",
				"junction.backends.app.health-check.timeout=500ms")) {
			for (int i = 0; i < 3; i++) {
				junction.traffic().get().uri("/work").exchange().expectStatus().isOk();
			}
			TestAppServer victim = this.servers.get(1);
			double killedAt = System.currentTimeMillis() / 1e3;
			victim.kill();
			// Round-robin: the second of these goes to app02, is refused and
			// redispatched.
			for (int i = 0; i < 3; i++) {
				junction.traffic().get().uri("/work").exchange().expectStatus().isOk();
			}
			int sent = 6;
			// Keep traffic going until the checks take the server DOWN; every request
			// still succeeds, on another server.
			WebTestClient traffic = junction.traffic();
			while (Scrape.of(junction).value("junction_server_up", "pool", "app", "server", "app02") != 0) {
				for (int i = 0; i < 10; i++) {
					traffic.get().uri("/work").exchange().expectStatus().isOk();
				}
				sent += 10;
				assertThat(sent).as("requests before app02 went DOWN").isLessThan(10_000);
			}
			Scrape scrape = afterRequests(junction, sent);
			String[] victimTags = { "pool", "app", "server", "app02" };
			double connectionErrors = scrape.value("junction_server_connection_errors_total", victimTags);
			assertThat(connectionErrors).isPositive();
			assertThat(scrape.value("junction_server_redispatches_total", victimTags)).isEqualTo(connectionErrors);
			assertThat(scrape.value("junction_server_requests_total", victimTags)).isEqualTo(1 + connectionErrors);
			assertThat(scrape.value("junction_server_responses_total", with(victimTags, "code", "2xx"))).isEqualTo(1);
			assertThat(scrape.value("junction_server_check_failures_total", victimTags)).isPositive();
			assertThat(scrape.value("junction_server_check_duration_seconds", victimTags)).isBetween(0.0, 1.0);
			assertThat(scrape.value("junction_server_last_change_timestamp_seconds", victimTags))
				.isGreaterThanOrEqualTo(killedAt - 1);
			assertThat(scrape.value("junction_server_up", "pool", "app", "server", "app01")).isEqualTo(1);
			assertThat(scrape.value("junction_server_connection_errors_total", "pool", "app", "server", "app01"))
				.isZero();
			double answered = scrape.value("junction_server_responses_total", "pool", "app", "server", "app01", "code",
					"2xx")
					+ scrape.value("junction_server_responses_total", "pool", "app", "server", "app03", "code", "2xx");
			assertThat(answered + 1).as("every request answered once").isEqualTo(sent);
			assertThat(scrape.value("junction_route_requests_total", "route", "app")).isEqualTo(sent);
			assertThat(scrape.value("junction_route_errors_total", "route", "app")).isZero();
			assertThat(sum(scrape, "junction_server_current_requests")).isZero();
		}
	}

	@Test
	void hangingServerShowsItsRequestInFlightUntilTheResponseTimeout() {
		TestAppServer hanging = this.servers.get(0).behave(TestAppServer.Behaviour.HANG);
		try (RunningJunction junction = start(List.of(hanging), "junction.backends.app.response-timeout=2s",
				"junction.backends.app.retries=0")) {
			String[] tags = { "pool", "app", "server", "app01" };
			CompletableFuture<Void> request = CompletableFuture
				.runAsync(() -> junction.traffic().get().uri("/work").exchange().expectStatus().isEqualTo(504));
			await().atMost(Duration.ofSeconds(2))
				.until(() -> Scrape.of(junction).value("junction_server_current_requests", tags) == 1);
			request.join();
			Scrape scrape = afterRequests(junction, 1);
			assertThat(scrape.value("junction_server_current_requests", tags)).isZero();
			assertThat(scrape.value("junction_server_max_requests", tags)).isEqualTo(1);
			assertThat(scrape.value("junction_server_requests_total", tags)).isEqualTo(1);
			assertThat(scrape.value("junction_server_response_errors_total", tags)).isEqualTo(1);
			assertThat(scrape.value("junction_server_response_time_seconds_count", tags)).isZero();
			assertThat(scrape.value("junction_route_requests_total", "route", "app")).isEqualTo(1);
			assertThat(scrape.value("junction_route_errors_total", "route", "app")).isEqualTo(1);
			assertThat(scrape.value("junction_route_responses_total", "route", "app", "code", "5xx")).isEqualTo(1);
			assertThat(scrape.value("junction_route_request_duration_seconds_bucket", "route", "app", "le", "1.0"))
				.isZero();
			assertThat(scrape.value("junction_route_request_duration_seconds_bucket", "route", "app", "le", "5.0"))
				.isEqualTo(1);
		}
	}

	@Test
	void unavailableAnswerRetriedElsewhereCountsAsTheFirstServers5xxAndARetry() {
		this.servers.get(0).behave(TestAppServer.Behaviour.UNAVAILABLE);
		try (RunningJunction junction = start(this.servers, "junction.backends.app.health-check.enabled=false")) {
			junction.traffic().get().uri("/work").exchange().expectStatus().isOk();
			Scrape scrape = afterRequests(junction, 1);
			String[] first = { "pool", "app", "server", "app01" };
			String[] second = { "pool", "app", "server", "app02" };
			assertThat(scrape.value("junction_server_responses_total", with(first, "code", "5xx"))).isEqualTo(1);
			assertThat(scrape.value("junction_server_retries_total", first)).isEqualTo(1);
			assertThat(scrape.value("junction_server_requests_total", first)).isEqualTo(1);
			assertThat(scrape.value("junction_server_responses_total", with(second, "code", "2xx"))).isEqualTo(1);
			assertThat(scrape.value("junction_route_requests_total", "route", "app")).isEqualTo(1);
			assertThat(scrape.value("junction_route_responses_total", "route", "app", "code", "2xx")).isEqualTo(1);
			assertThat(scrape.value("junction_route_errors_total", "route", "app")).isZero();
			assertThat(sum(scrape, "junction_server_current_requests")).isZero();
		}
	}

	@Test
	void clientThatGivesUpEndsItsRequestOnTheServer() throws Exception {
		// The server would hold the request until the 30s response timeout.
		TestAppServer server = this.servers.get(0).behave(TestAppServer.Behaviour.HANG);
		try (RunningJunction junction = start(List.of(server))) {
			String[] tags = { "pool", "app", "server", "app01" };
			try (Socket client = new Socket("127.0.0.1", junction.port())) {
				client.getOutputStream()
					.write("GET /work HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				server.takeRequest();
				assertThat(Scrape.of(junction).value("junction_server_current_requests", tags)).isEqualTo(1);
			}
			Scrape scrape = afterRequests(junction, 1);
			assertThat(scrape.value("junction_server_current_requests", tags)).isZero();
			assertThat(scrape.value("junction_server_requests_total", tags)).isEqualTo(1);
			assertThat(scrape.find("junction_route_responses_total", "route", "app"))
				.allMatch((sample) -> sample.value() == 0);
		}
	}

	/**
	 * Junction with one route to the pool {@code app}, checked every 200ms unless set.
	 */
	private static RunningJunction start(List<TestAppServer> servers, String... more) {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		// Nothing to drain when a test closes it.
		properties.add("junction.shutdown.drain-delay=0s");
		if (Arrays.stream(more).noneMatch((property) -> property.contains(".health-check."))) {
			properties.add("junction.backends.app.health-check.interval=200ms");
			properties.add("junction.backends.app.health-check.timeout=100ms");
		}
		properties.addAll(List.of(more));
		return Startup.junction(Map.of("app", servers), properties.toArray(String[]::new));
	}

	/**
	 * The scrape once the route has seen the end of {@code requests}: a client can read
	 * the last byte of a response a moment before Junction's side of it is over.
	 */
	private static Scrape afterRequests(RunningJunction junction, int requests) {
		return await().atMost(Duration.ofSeconds(5))
			.until(() -> Scrape.of(junction),
					(scrape) -> scrape.value("junction_route_requests_total", "route", "app") >= requests);
	}

	private static double sum(Scrape scrape, String name) {
		return scrape.find(name).stream().mapToDouble(Scrape.Sample::value).sum();
	}

	private static String[] with(String[] tags, String name, String value) {
		List<String> all = new ArrayList<>(List.of(tags));
		all.add(name);
		all.add(value);
		return all.toArray(String[]::new);
	}

}

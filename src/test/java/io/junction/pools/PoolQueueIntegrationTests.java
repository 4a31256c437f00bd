package io.junction.pools;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.junction.RunningJunction;
import io.junction.Scrape;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server's {@code max-connections} and its pool's queue (HAProxy's {@code maxconn} and
 * {@code timeout queue}), against a real app server that holds each request until the
 * test lets it go, so that every step is a condition, not a delay.
 */
class PoolQueueIntegrationTests {

	private final TestAppServer server = TestAppServer.start("app01").behave(TestAppServer.Behaviour.HELD);

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void twentyClientsAgainstMaxConnectionsTwoKeepTwoInFlightQueueTenAndRefuseTheRestAtOnce() throws Exception {
		try (RunningJunction junction = junction("max-connections=2", "queue-size=10", "queue-timeout=1m")) {
			List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				responses.add(send(junction, "/work/" + i));
			}
			PoolQueue queue = junction.pool("app").queue();
			await().atMost(Duration.ofSeconds(10)).until(() -> done(responses) == 8 && queue.size() == 10);
			// The eight beyond the queue were answered while the server still held its
			// first two: at once, not after a wait.
			assertThat(this.server.heldCount()).isEqualTo(2);
			for (CompletableFuture<HttpResponse<String>> response : responses) {
				if (response.isDone()) {
					assertThat(response.get().statusCode()).isEqualTo(503);
					assertThat(response.get().body()).contains("every server of pool 'app' is busy");
				}
			}
			Scrape scrape = Scrape.of(junction);
			assertThat(scrape.value("junction_pool_queue_requests", "pool", "app")).isEqualTo(10);
			assertThat(scrape.value("junction_pool_queue_refused_total", "pool", "app", "reason", "full")).isEqualTo(8);
			junction.management()
				.get()
				.uri("/actuator/health")
				.exchange()
				.expectBody()
				.jsonPath("$.components.pools.details.app.queue.waiting")
				.isEqualTo(10)
				.jsonPath("$.components.pools.details.app.servers.app01.maxConnections")
				.isEqualTo(2);

			// Each answer frees a slot, which the next request in the queue takes.
			for (int released = 0; released < 12; released++) {
				await().atMost(Duration.ofSeconds(10)).until(() -> this.server.heldCount() > 0);
				this.server.releaseOne();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> done(responses) == 20);
			long served = responses.stream().filter((response) -> response.join().statusCode() == 200).count();
			assertThat(served).isEqualTo(12);
			assertThat(this.server.requestCount()).isEqualTo(12);
			assertThat(this.server.maxInFlight()).isEqualTo(2);
			assertThat(junction.server("app", this.server).traffic().max()).isEqualTo(2);
			assertThat(queue.size()).isZero();
			assertThat(queue.served()).isEqualTo(10);
		}
	}

	@Test
	void waitingRequestsReachTheServerInTheOrderTheyCame() throws Exception {
		try (RunningJunction junction = junction("max-connections=1", "queue-size=10", "queue-timeout=1m")) {
			PoolQueue queue = junction.pool("app").queue();
			List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			responses.add(send(junction, "/first"));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.heldCount() == 1);
			for (int i = 1; i <= 5; i++) {
				responses.add(send(junction, "/queued/" + i));
				int waiting = i;
				await().atMost(Duration.ofSeconds(10)).until(() -> queue.size() == waiting);
			}
			for (int released = 0; released < 6; released++) {
				await().atMost(Duration.ofSeconds(10)).until(() -> this.server.heldCount() == 1);
				this.server.releaseOne();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> done(responses) == 6);
			assertThat(this.server.receivedSoFar()).extracting(TestAppServer.Received::uri)
				.containsExactly("/first", "/queued/1", "/queued/2", "/queued/3", "/queued/4", "/queued/5");
			assertThat(this.server.maxInFlight()).isEqualTo(1);
		}
	}

	@Test
	void aRequestThatWaitsPastTheQueueTimeoutGets503AndNeverReachesTheServer() throws Exception {
		try (RunningJunction junction = junction("max-connections=1", "queue-timeout=500ms")) {
			CompletableFuture<HttpResponse<String>> held = send(junction, "/held");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.heldCount() == 1);
			long sent = System.nanoTime();
			HttpResponse<String> late = send(junction, "/late").get(10, TimeUnit.SECONDS);
			long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

			assertThat(late.statusCode()).isEqualTo(503);
			assertThat(late.body()).contains("no server of pool 'app' was free in time");
			assertThat(waitedMillis).isGreaterThanOrEqualTo(500);
			assertThat(
					Scrape.of(junction).value("junction_pool_queue_refused_total", "pool", "app", "reason", "timeout"))
				.isEqualTo(1);
			this.server.releaseOne();
			assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			assertThat(this.server.receivedSoFar()).extracting(TestAppServer.Received::uri).containsExactly("/held");
		}
	}

	@Test
	void aClientThatLeavesWhileWaitingLeavesTheQueueAndItsTurnIsNotLost() throws Exception {
		try (RunningJunction junction = junction("max-connections=1", "queue-timeout=1m")) {
			PoolQueue queue = junction.pool("app").queue();
			CompletableFuture<HttpResponse<String>> held = send(junction, "/held");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.heldCount() == 1);
			try (Socket socket = new Socket("127.0.0.1", junction.port())) {
				socket.getOutputStream()
					.write("GET /gone HTTP/1.1\r\nHost: junction\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				await().atMost(Duration.ofSeconds(10)).until(() -> queue.size() == 1);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> queue.size() == 0);

			this.server.releaseOne();
			assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			// The slot is free again: the next request is served at once.
			CompletableFuture<HttpResponse<String>> next = send(junction, "/next");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.heldCount() == 1);
			this.server.releaseOne();
			assertThat(next.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			assertThat(this.server.receivedSoFar()).extracting(TestAppServer.Received::uri)
				.containsExactly("/held", "/next");
			assertThat(junction.server("app", this.server).traffic().current()).isZero();
		}
	}

	@Test
	void aServerWithoutMaxConnectionsTakesEveryRequestAtOnce() throws Exception {
		try (RunningJunction junction = junction()) {
			List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				responses.add(send(junction, "/work/" + i));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.heldCount() == 20);
			assertThat(junction.pool("app").queue().queued()).isZero();
			for (int i = 0; i < 20; i++) {
				this.server.releaseOne();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> done(responses) == 20);
		}
	}

	@Test
	void badLimitsAreRefusedNamingTheKey() {
		String pool = "junction.backends.app";
		List<String> server = List.of(pool + ".servers[0].name=app01", pool + ".servers[0].url=http://127.0.0.1:1");
		assertThat(refusal(server, pool + ".max-connections=-1").getMessage()).contains(pool + ".max-connections")
			.contains("must be from 0 (no limit) to 100000");
		assertThat(refusal(server, pool + ".servers[0].max-connections=100001").getMessage())
			.contains(pool + ".servers[0].max-connections");
		assertThat(refusal(server, pool + ".queue-size=-1").getMessage()).contains(pool + ".queue-size");
		assertThat(refusal(server, pool + ".queue-timeout=0s").getMessage()).contains(pool + ".queue-timeout");
		assertThat(refusal(server, pool + ".queue-timeout=2h").getMessage()).contains(pool + ".queue-timeout");
	}

	private static RuntimeException refusal(List<String> server, String property) {
		List<String> properties = new ArrayList<>(server);
		properties.add(property);
		return Startup.refusal(properties.toArray(String[]::new));
	}

	private RunningJunction junction(String... poolProperties) {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		for (String property : poolProperties) {
			properties.add("junction.backends.app." + property);
		}
		return Startup.junction(Map.of("app", List.of(this.server)), properties.toArray(String[]::new));
	}

	private CompletableFuture<HttpResponse<String>> send(RunningJunction junction, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + junction.port() + path))
			.timeout(Duration.ofMinutes(1))
			.build();
		return this.client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	private static long done(List<CompletableFuture<HttpResponse<String>>> responses) {
		return responses.stream().filter(CompletableFuture::isDone).count();
	}

}

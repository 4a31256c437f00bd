package io.junction.pools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.TestAppServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failed requests are tried again on another server: a connection that could not be
 * opened always is, a request that was sent only when its method is idempotent.
 */
class RetryPolicyIntegrationTests {

	private final List<TestAppServer> started = new ArrayList<>();

	@AfterEach
	void stopServers() {
		this.started.forEach(TestAppServer::close);
	}

	@Test
	void postRefusedBeforeItWasSentIsRedispatchedToAnotherServer() {
		TestAppServer refusing = start("app01");
		TestAppServer healthy = start("app02");
		refusing.kill();
		try (RunningJunction junction = junction(refusing, healthy)) {
			for (int i = 0; i < 4; i++) {
				post(junction.traffic(), "order-" + i).expectStatus().isOk();
				assertThat(healthy.takeRequest().body()).isEqualTo("order-" + i);
			}
			assertThat(junction.server("app", refusing).state().redispatches()).isPositive();
		}
	}

	@Test
	void postThatFailedAfterItWasSentIsNotRetried() {
		TestAppServer hangingUp = start("app01").behave(Behaviour.HANG_UP);
		TestAppServer healthy = start("app02");
		try (RunningJunction junction = junction(hangingUp, healthy)) {
			int badGateways = 0;
			for (int i = 0; i < 4; i++) {
				HttpStatus status = HttpStatus
					.valueOf(post(junction.traffic(), "order-" + i).returnResult(String.class).getStatus().value());
				if (status == HttpStatus.BAD_GATEWAY) {
					badGateways++;
				}
			}
			assertThat(badGateways).isPositive();
			assertThat(hangingUp.requestCount()).isEqualTo(badGateways);
			assertThat(healthy.requestCount()).isEqualTo(4 - badGateways);
			assertThat(junction.server("app", hangingUp).state().retries()).isZero();
		}
	}

	@Test
	void putThatFailedAfterItWasSentIsRetriedWithItsBody() {
		TestAppServer hangingUp = start("app01").behave(Behaviour.HANG_UP);
		TestAppServer healthy = start("app02");
		try (RunningJunction junction = junction(hangingUp, healthy)) {
			for (int i = 0; i < 4; i++) {
				junction.traffic()
					.put()
					.uri("/items/" + i)
					.contentType(MediaType.TEXT_PLAIN)
					.bodyValue("item-" + i)
					.exchange()
					.expectStatus()
					.isOk();
				TestAppServer.Received received = healthy.takeRequest();
				assertThat(received.method()).isEqualTo("PUT");
				assertThat(received.body()).isEqualTo("item-" + i);
			}
			assertThat(hangingUp.requestCount()).isPositive();
			assertThat(junction.server("app", hangingUp).state().retries()).isEqualTo(hangingUp.requestCount());
		}
	}

	@Test
	void getAnswered503IsRetriedOnAnotherServer() {
		TestAppServer unavailable = start("app01").behave(Behaviour.UNAVAILABLE);
		TestAppServer healthy = start("app02");
		try (RunningJunction junction = junction(unavailable, healthy)) {
			for (int i = 0; i < 4; i++) {
				junction.traffic()
					.get()
					.uri("/x")
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody(String.class)
					.isEqualTo("app02");
			}
			assertThat(unavailable.requestCount()).isPositive();
			assertThat(junction.server("app", unavailable).state().retries()).isEqualTo(unavailable.requestCount());
		}
	}

	@Test
	void retryNeverGoesBackToAServerThatFailedTheRequest() {
		TestAppServer first = start("app01").behave(Behaviour.UNAVAILABLE);
		TestAppServer second = start("app02").behave(Behaviour.UNAVAILABLE);
		TestAppServer third = start("app03").behave(Behaviour.UNAVAILABLE);
		try (RunningJunction junction = junction(first, second, third)) {
			String body = junction.traffic()
				.get()
				.uri("/x")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(body).as("the last server's own answer reaches the client").matches("app0[123]");
			assertThat(first.requestCount() + second.requestCount() + third.requestCount()).isEqualTo(3);
			assertThat(List.of(first.requestCount(), second.requestCount(), third.requestCount())).containsOnly(1);
		}
	}

	@Test
	void lastServersAnswerReachesTheClientWhenNoServerIsLeftToRetryOn() {
		TestAppServer first = start("app01").behave(Behaviour.UNAVAILABLE);
		TestAppServer second = start("app02").behave(Behaviour.UNAVAILABLE);
		try (RunningJunction junction = junction(first, second)) {
			junction.traffic()
				.get()
				.uri("/x")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectBody(String.class)
				.value((body) -> assertThat(body).matches("app0[12]"));
			assertThat(first.requestCount() + second.requestCount()).isEqualTo(2);
			long retries = junction.server("app", first).state().retries()
					+ junction.server("app", second).state().retries();
			assertThat(retries).as("retries counted: only the one re-send").isEqualTo(1);
		}
	}

	private TestAppServer start(String name) {
		TestAppServer server = TestAppServer.start(name);
		this.started.add(server);
		return server;
	}

	private static RunningJunction junction(TestAppServer... servers) {
		Map<String, List<TestAppServer>> pools = new LinkedHashMap<>();
		pools.put("app", List.of(servers));
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		// Passive and active checks stay out of the way: this is about retries alone.
		properties.add("junction.backends.app.health-check.enabled=false");
		properties.add("junction.backends.app.passive-check.enabled=false");
		return Startup.junction(pools, properties.toArray(String[]::new));
	}

	private static WebTestClient.ResponseSpec post(WebTestClient client, String body) {
		return client.post().uri("/orders").contentType(MediaType.TEXT_PLAIN).bodyValue(body).exchange();
	}

}

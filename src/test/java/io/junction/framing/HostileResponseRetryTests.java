package io.junction.framing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A response refused for its framing is HAProxy's "junk response": retried on another
 * server when {@code retry-on} lists {@code junk-response} and the request may be sent
 * again, like any failure after the request was sent; otherwise the client gets 502.
 */
class HostileResponseRetryTests {

	private RawAppServer junk;

	private TestAppServer healthy;

	@BeforeEach
	void startServers() throws IOException {
		this.junk = RawAppServer.start();
		this.junk.respondWith("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
			.getBytes(StandardCharsets.US_ASCII), false);
		this.healthy = TestAppServer.start("app02");
	}

	@AfterEach
	void stopServers() throws IOException {
		this.junk.close();
		this.healthy.close();
	}

	@Test
	void getRefusedForItsFramingIsRetriedOnAnotherServerWhenRetryOnListsJunkResponse() {
		try (RunningJunction junction = junction("conn-failure,junk-response")) {
			for (int i = 0; i < 4; i++) {
				get(junction).expectStatus().isOk().expectBody(String.class).isEqualTo("app02");
			}
			assertThat(this.junk.answered()).isPositive();
			assertThat(junction.pool("app").server("junk01").state().retries()).isEqualTo(this.junk.answered());
		}
	}

	@Test
	void postRefusedForItsFramingIsNotRetriedEvenWhenRetryOnListsJunkResponse() {
		try (RunningJunction junction = junction("conn-failure,junk-response")) {
			int badGateways = 0;
			for (int i = 0; i < 4; i++) {
				int status = junction.traffic()
					.post()
					.uri("/orders")
					.exchange()
					.returnResult(String.class)
					.getStatus()
					.value();
				badGateways += (status == 502) ? 1 : 0;
			}
			assertThat(badGateways).isPositive().isEqualTo(this.junk.answered());
			assertThat(junction.pool("app").server("junk01").state().retries()).isZero();
		}
	}

	@Test
	void getRefusedForItsFramingGets502WhenRetryOnLeavesJunkResponseOut() {
		try (RunningJunction junction = junction("conn-failure,empty-response")) {
			int badGateways = 0;
			for (int i = 0; i < 4; i++) {
				int status = get(junction).returnResult(String.class).getStatus().value();
				badGateways += (status == 502) ? 1 : 0;
			}
			assertThat(badGateways).isPositive().isEqualTo(this.junk.answered());
		}
	}

	private static WebTestClient.ResponseSpec get(RunningJunction junction) {
		return junction.traffic().get().uri("/items").exchange();
	}

	private RunningJunction junction(String retryOn) {
		String pool = "junction.backends.app.";
		List<String> properties = new ArrayList<>(List.of(pool + "servers[0].name=junk01",
				pool + "servers[0].url=" + this.junk.url(), pool + "servers[1].name=app02",
				pool + "servers[1].url=" + this.healthy.url(), pool + "health-check.enabled=false",
				pool + "passive-check.enabled=false", pool + "retry-on=" + retryOn));
		properties.addAll(Startup.routeEverythingTo("app"));
		return Startup.junction(Map.of(), properties.toArray(String[]::new));
	}

}

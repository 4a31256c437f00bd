package io.junction.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.TestAppServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Asked to stop, Junction first turns readiness down and keeps serving for the drain
 * delay, closing keep-alive connections, then lets what is in flight finish.
 */
@ExtendWith(OutputCaptureExtension.class)
class DrainOnShutdownTests {

	private final TestAppServer app = TestAppServer.start("app01");

	@AfterEach
	void stopServer() {
		this.app.close();
	}

	@Test
	void readinessGoesDownAtOnceWhileRequestsAreStillServedWithConnectionClose(CapturedOutput output) {
		RunningJunction junction = start("3s");
		WebTestClient traffic = junction.traffic();
		WebTestClient management = junction.management();
		CompletableFuture<Void> stopped = CompletableFuture.runAsync(junction::close);

		await().atMost(Duration.ofSeconds(2))
			.until(() -> management.get()
				.uri("/actuator/health/readiness")
				.exchange()
				.returnResult(String.class)
				.getStatus()
				.value() == HttpStatus.SERVICE_UNAVAILABLE.value());
		EntityExchangeResult<String> during = traffic.get()
			.uri("/during-drain")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		assertThat(during.getResponseHeaders().getConnection()).containsExactly("close");
		assertThat(stopped).isNotDone();

		stopped.join();
		assertThat(output.getOut()).contains("draining: readiness down, serving for 3s",
				"drained: 0 requests in flight, stopping");
	}

	@Test
	void requestInFlightWhenDrainEndsIsFinished() {
		this.app.behave(Behaviour.SLOW);
		RunningJunction junction = start("0s");
		CompletableFuture<HttpStatus> slow = CompletableFuture.supplyAsync(() -> HttpStatus
			.valueOf(junction.traffic().get().uri("/slow").exchange().returnResult(String.class).getStatus().value()));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.app.requestCount() == 1);

		junction.close();

		assertThat(slow.join()).isEqualTo(HttpStatus.OK);
	}

	private RunningJunction start(String drainDelay) {
		List<String> route = Startup.routeEverythingTo("app");
		return Startup.junction(Map.of("app", List.of(this.app)), route.get(0), route.get(1), route.get(2),
				"junction.shutdown.drain-delay=" + drainDelay);
	}

}

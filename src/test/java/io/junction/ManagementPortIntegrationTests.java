package io.junction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator lives on the management port only, which the ELB health-checks; on the traffic
 * port its paths are routed like any other.
 */
class ManagementPortIntegrationTests extends SeedGatewayTests {

	@Test
	void healthLivenessAndReadinessAreUpOnTheManagementPort() {
		for (String path : new String[] { "/actuator/health", "/actuator/health/liveness",
				"/actuator/health/readiness" }) {
			this.management.get()
				.uri(path)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP");
		}
	}

	@Test
	void actuatorPathsOnTheTrafficPortAreRoutedToTheDefaultBackend() {
		for (String path : new String[] { "/actuator/prometheus", "/actuator/health" }) {
			this.traffic.get()
				.uri(path)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.isEqualTo("webserver");
			TestAppServer.Received received = TestAppServer.takeFromOne(SeedApps.ALL);
			assertThat(received.server()).isEqualTo("webserver");
			assertThat(received.uri()).isEqualTo(path);
		}
	}

	@Test
	void prometheusHasRequestMetricsTaggedByRoute() {
		this.traffic.get().uri("/services/bar/v1/metered").exchange().expectStatus().isOk();
		String scrape = Clients.okBody(this.management, "/actuator/prometheus");
		assertThat(scrape).containsPattern("junction_route_requests_total\\{route=\"services-bar-v1\"} [1-9]")
			.containsPattern("junction_route_request_duration_seconds_count\\{route=\"services-bar-v1\"} [1-9]");
	}

}

package io.junction.routing;

import io.junction.Clients;
import io.junction.Ports;
import io.junction.Scrape;
import io.junction.TestAppServer;
import io.junction.TestAppServer.Behaviour;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that cannot be served get a short plain-text answer naming the route: 404 with
 * no route, 503 with no reachable server, 504 when the server is too slow, 502 when it
 * hangs up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "spring.cloud.gateway.server.webflux.routes[0].id=refused",
				"spring.cloud.gateway.server.webflux.routes[0].uri=lb://refused",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/refused/**",
				"spring.cloud.gateway.server.webflux.routes[1].id=slow",
				"spring.cloud.gateway.server.webflux.routes[1].uri=lb://slow",
				"spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/slow/**",
				"spring.cloud.gateway.server.webflux.routes[1].metadata.response-timeout=300",
				"spring.cloud.gateway.server.webflux.routes[2].id=rude",
				"spring.cloud.gateway.server.webflux.routes[2].uri=lb://rude",
				"spring.cloud.gateway.server.webflux.routes[2].predicates[0]=Path=/rude/**" })
class RoutingErrorsIntegrationTests {

	static final TestAppServer slow = TestAppServer.start("slow-app01").behave(Behaviour.HANG);

	static final TestAppServer rude = TestAppServer.start("rude-app01").behave(Behaviour.HANG_UP);

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	WebTestClient client;

	@DynamicPropertySource
	static void pools(DynamicPropertyRegistry registry) {
		int closedPort = Ports.free();
		registry.add("junction.backends.refused.servers[0].name", () -> "app01");
		registry.add("junction.backends.refused.servers[0].url", () -> "http://127.0.0.1:" + closedPort);
		registry.add("junction.backends.slow.servers[0].name", slow::name);
		registry.add("junction.backends.slow.servers[0].url", slow::url);
		registry.add("junction.backends.rude.servers[0].name", rude::name);
		registry.add("junction.backends.rude.servers[0].url", rude::url);
	}

	@AfterAll
	static void stopServers() {
		slow.close();
		rude.close();
	}

	@BeforeEach
	void client() {
		this.client = Clients.client(this.port);
	}

	@Test
	void noMatchingRouteIsA404NamingTheRequest() {
		String body = expect("/nowhere?x=1", HttpStatus.NOT_FOUND);
		assertThat(body).isEqualTo("404 Not Found: no route matches GET /nowhere\n");
	}

	@Test
	void serverRefusingConnectionsIsA503NamingTheRoute() {
		String body = expect("/refused/x", HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(body)
			.isEqualTo("503 Service Unavailable: route 'refused': no server of pool 'refused' is available\n");
	}

	@Test
	void serverNotAnsweringInTimeIsA504NamingTheRoute() {
		String body = expect("/slow/x", HttpStatus.GATEWAY_TIMEOUT);
		assertThat(body).isEqualTo("504 Gateway Timeout: route 'slow': the server did not answer in time\n");
	}

	@Test
	void serverHangingUpIsA502NamingTheRoute() {
		String body = expect("/rude/x", HttpStatus.BAD_GATEWAY);
		assertThat(body)
			.isEqualTo("502 Bad Gateway: route 'rude': the server closed the connection before answering\n");
	}

	@Test
	void requestsNoRouteMatchesAreCountedInPrometheus() {
		double before = unroutedRequests();
		expect("/nowhere/1", HttpStatus.NOT_FOUND);
		// Percent-encoded paths take Gateway's own lookup, not the route index.
		expect("/nowhere/%C3%A9", HttpStatus.NOT_FOUND);
		expect("/refusedx/y", HttpStatus.NOT_FOUND);
		assertThat(unroutedRequests()).isEqualTo(before + 3);
		assertThat(scrape().names()).as("WebFlux's own per-request metric is off for what it costs")
			.noneMatch((name) -> name.startsWith("http_server_requests"));
	}

	private double unroutedRequests() {
		return scrape().value("junction_unrouted_requests_total");
	}

	private Scrape scrape() {
		return new Scrape(Clients.okBody(Clients.client(this.managementPort), "/actuator/prometheus"));
	}

	private String expect(String uri, HttpStatus status) {
		String body = this.client.get()
			.uri(uri)
			.accept(MediaType.TEXT_HTML, MediaType.ALL)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).doesNotContain("<html", "Exception", "127.0.0.1");
		return body;
	}

}

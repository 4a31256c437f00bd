package io.junction.routing;

import io.junction.Clients;
import io.junction.TestAppServer;
import io.junction.TestAppServer.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that is not a trusted proxy cannot forge X-Forwarded-* past Junction: what it
 * sends is replaced by what Junction saw.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "junction.routing.trusted-proxies=10\\.0\\.0\\.1",
				"spring.cloud.gateway.server.webflux.routes[0].id=app",
				"spring.cloud.gateway.server.webflux.routes[0].uri=lb://app",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**" })
class XForwardedUntrustedPeerIntegrationTests {

	static final TestAppServer app = TestAppServer.start("app01");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void pool(DynamicPropertyRegistry registry) {
		registry.add("junction.backends.app.servers[0].name", app::name);
		registry.add("junction.backends.app.servers[0].url", app::url);
	}

	@AfterAll
	static void stopServer() {
		app.close();
	}

	@Test
	void forgedForwardedHeadersFromAnUntrustedPeerAreReplaced() {
		Clients.client(this.port)
			.get()
			.uri("/x")
			.header("Host", "shop.example.com")
			.header("X-Forwarded-For", "198.51.100.66")
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Port", "443")
			.header("X-Forwarded-Host", "forged.example.com")
			.exchange()
			.expectStatus()
			.isOk();
		Received received = app.takeRequest();
		assertThat(received.headers().get("X-Forwarded-For")).containsExactly("127.0.0.1");
		assertThat(received.headers().get("X-Forwarded-Proto")).containsExactly("http");
		assertThat(received.headers().get("X-Forwarded-Port")).containsExactly(String.valueOf(this.port));
		assertThat(received.headers().get("X-Forwarded-Host")).containsExactly("shop.example.com");
	}

}

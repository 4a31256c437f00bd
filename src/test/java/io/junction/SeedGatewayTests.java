package io.junction;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Junction on random ports with the seed's routing over {@link SeedApps}, and real HTTP
 * clients for its traffic and management ports. Subclasses share one running Junction.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("seed")
public abstract class SeedGatewayTests {

	@LocalServerPort
	protected int trafficPort;

	@LocalManagementPort
	protected int managementPort;

	protected WebTestClient traffic;

	protected WebTestClient management;

	@DynamicPropertySource
	static void seedServers(DynamicPropertyRegistry registry) {
		SeedApps.register(registry);
	}

	@BeforeEach
	void clients() {
		this.traffic = Clients.client(this.trafficPort);
		this.management = Clients.client(this.managementPort);
		SeedApps.clear();
	}

}

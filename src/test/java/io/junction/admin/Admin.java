package io.junction.admin;

import java.util.Map;

import io.junction.RunningJunction;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Calls of the {@code servers} endpoint, as an operator makes them with curl. */
final class Admin {

	private Admin() {
	}

	/**
	 * POSTs {@code body} to {@code /actuator/servers/<pool>/<server>} on {@code client}.
	 */
	static WebTestClient.ResponseSpec set(WebTestClient client, String pool, String server, Map<String, ?> body) {
		return client.post()
			.uri("/actuator/servers/{pool}/{server}", pool, server)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	/** Sets the server's admin state on the management port, expecting it to be done. */
	static void setState(RunningJunction junction, String pool, String server, String state) {
		set(junction.management(), pool, server, Map.of("state", state)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.adminState")
			.isEqualTo(state.toUpperCase());
	}

	/** Sets the server's weight on the management port, expecting it to be done. */
	static void setWeight(RunningJunction junction, String pool, String server, int weight) {
		set(junction.management(), pool, server, Map.of("weight", weight)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.weight")
			.isEqualTo(weight);
	}

}

package io.junction;

import java.time.Duration;

import org.springframework.test.web.reactive.server.WebTestClient;

/** Real HTTP clients for Junction's ports. */
public final class Clients {

	private Clients() {
	}

	/** A client for a port on loopback. */
	public static WebTestClient client(int port) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	/** GETs {@code uri}, expects 200 and returns the body. */
	public static String okBody(WebTestClient client, String uri) {
		return client.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

}

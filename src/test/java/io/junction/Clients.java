package io.junction;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
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

	/** Whether Junction answers 200 on its readiness probe on {@code managementPort}. */
	public static boolean isReady(int managementPort) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI
				.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness")
				.toURL()
				.openConnection();
			connection.setConnectTimeout(1000);
			connection.setReadTimeout(1000);
			try {
				return connection.getResponseCode() == 200;
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException ex) {
			return false;
		}
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

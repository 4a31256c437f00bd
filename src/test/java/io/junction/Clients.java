package io.junction;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/** Real HTTP clients for Junction's ports. */
public final class Clients {

	private Clients() {
	}

	/**
	 * A client for a port on loopback. It reads each response body whole as it arrives,
	 * so a test that checks only the status leaves no pooled Netty buffer behind (Netty's
	 * leak detector would report it, hiding leaks of Junction's own), and asks for no
	 * compression: Junction passes bodies through as they are.
	 */
	public static WebTestClient client(int port) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create()))
			.baseUrl("http://127.0.0.1:" + port)
			.filter(Clients::readBodyWhole)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	private static Mono<ClientResponse> readBodyWhole(ClientRequest request, ExchangeFunction next) {
		return next.exchange(request)
			.flatMap((response) -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map((body) -> response.mutate()
					.body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)))
					.build()));
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

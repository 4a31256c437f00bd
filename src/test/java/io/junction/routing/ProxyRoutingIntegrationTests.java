package io.junction.routing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.TestAppServer.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Junction's routing filter sends the request on as the client sent it: each header once,
 * bodies of known length and chunked bodies whole, no body where there was none.
 */
class ProxyRoutingIntegrationTests {

	private final TestAppServer app = TestAppServer.start("app01");

	private RunningJunction junction;

	@BeforeEach
	void startJunction() {
		this.junction = Startup.junction(Map.of("app", List.of(this.app)),
				Startup.routeEverythingTo("app").toArray(String[]::new));
	}

	@AfterEach
	void stop() {
		this.junction.close();
		this.app.close();
	}

	@Test
	void clientsHeadersReachTheAppOnceEach() {
		this.junction.traffic()
			.get()
			.uri("/headers")
			.header(HttpHeaders.USER_AGENT, "shop-client/2")
			.header(HttpHeaders.ACCEPT, "text/plain")
			.header("X-Tag", "a", "b")
			.exchange()
			.expectStatus()
			.isOk();
		HttpHeaders received = this.app.takeRequest().headers();
		assertThat(received.get(HttpHeaders.USER_AGENT)).containsExactly("shop-client/2");
		assertThat(received.get(HttpHeaders.ACCEPT)).containsExactly("text/plain");
		assertThat(received.get("X-Tag")).containsExactly("a", "b");
		assertThat(received.get(HttpHeaders.HOST)).hasSize(1);
	}

	@Test
	void requestWithoutBodyIsSentWithoutOne() {
		this.junction.traffic().get().uri("/nothing").exchange().expectStatus().isOk();
		Received received = this.app.takeRequest();
		assertThat(received.headers().containsHeader(HttpHeaders.TRANSFER_ENCODING)).isFalse();
		assertThat(received.headers().getContentLength()).isLessThanOrEqualTo(0);
		assertThat(received.body()).isEmpty();
	}

	@Test
	void chunkedRequestBodyReachesTheAppWhole() {
		Flux<DataBuffer> chunks = Flux.just("first,", "second,", "third")
			.map((chunk) -> DefaultDataBufferFactory.sharedInstance.wrap(chunk.getBytes(StandardCharsets.UTF_8)));
		this.junction.traffic()
			.post()
			.uri("/upload")
			.contentType(MediaType.TEXT_PLAIN)
			.body(chunks, DataBuffer.class)
			.exchange()
			.expectStatus()
			.isOk();
		Received received = this.app.takeRequest();
		assertThat(received.body()).isEqualTo("first,second,third");
		assertThat(received.headers().getFirst(HttpHeaders.TRANSFER_ENCODING)).isEqualTo("chunked");
	}

}

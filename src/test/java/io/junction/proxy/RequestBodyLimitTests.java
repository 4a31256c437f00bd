package io.junction.proxy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code max-request-body}, per pool and per route: a body over it gets 413 and no server
 * handles it, whether it says its length or comes in chunks; without it any size passes.
 */
class RequestBodyLimitTests {

	private static final String ROUTE = "spring.cloud.gateway.server.webflux.routes[0]";

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final TestAppServer app = TestAppServer.start("app01");

	private RunningJunction junction;

	@AfterEach
	void stop() {
		if (this.junction != null) {
			this.junction.close();
		}
		this.app.close();
	}

	@Test
	void aBodyThatSaysItIsOverThePoolsLimitGets413AndNoServerSeesIt() throws Exception {
		start("junction.backends.api.max-request-body=1KB");
		HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofString("x".repeat(1025)));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).contains("request body larger than 1024 bytes");
		assertThat(this.app.receivedSoFar()).isEmpty();
		assertThat(post(HttpRequest.BodyPublishers.ofString("x".repeat(1024))).statusCode())
			.as("a body of exactly the limit")
			.isEqualTo(200);
	}

	@Test
	void aChunkedBodyIsCutOffWhereItPassesTheLimit() throws Exception {
		start("junction.backends.api.max-request-body=1KB");
		HttpResponse<String> response = post(chunked(64 * 1024));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(this.app.receivedSoFar()).as("no server handled the request").isEmpty();

		HttpResponse<String> within = post(chunked(1024));
		assertThat(within.statusCode()).isEqualTo(200);
		assertThat(this.app.takeRequest().body()).hasSize(1024);
	}

	@Test
	void aRoutesMetadataOverridesItsPoolsLimit() throws Exception {
		start("junction.backends.api.max-request-body=1KB", ROUTE + ".metadata.max-request-body=4KB");
		assertThat(post(HttpRequest.BodyPublishers.ofString("x".repeat(4000))).statusCode()).isEqualTo(200);
		assertThat(post(HttpRequest.BodyPublishers.ofString("x".repeat(4097))).statusCode()).isEqualTo(413);
	}

	@Test
	void withoutALimitABodyOfAnySizePasses() throws Exception {
		start();
		HttpResponse<String> response = post(chunked(8 * 1024 * 1024));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.app.takeRequest().body()).hasSize(8 * 1024 * 1024);
	}

	@Test
	void aLimitThatIsNoSizeIsRefusedNamingTheKey() {
		List<String> route = Startup.routeEverythingTo("api");
		List<String> properties = new ArrayList<>(route);
		properties.addAll(List.of("junction.backends.api.servers[0].name=app01",
				"junction.backends.api.servers[0].url=" + this.app.url()));
		List<String> badPool = new ArrayList<>(properties);
		badPool.add("junction.backends.api.max-request-body=0B");
		assertThat(Startup.refusal(badPool.toArray(String[]::new)).getKey())
			.isEqualTo("junction.backends.api.max-request-body");
		List<String> badRoute = new ArrayList<>(properties);
		badRoute.add(ROUTE + ".metadata.max-request-body=lots");
		assertThat(Startup.refusal(badRoute.toArray(String[]::new)).getKey())
			.isEqualTo(ROUTE + ".metadata.max-request-body");
	}

	private void start(String... properties) {
		List<String> all = new ArrayList<>(Startup.routeEverythingTo("api"));
		all.addAll(List.of(properties));
		this.junction = Startup.junction(Map.of("api", List.of(this.app)), all.toArray(String[]::new));
	}

	// No length known in advance: the client sends it chunked.
	private static HttpRequest.BodyPublisher chunked(int size) {
		byte[] body = "y".repeat(size).getBytes();
		return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
	}

	private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.junction.port() + "/api/upload"))
			.POST(body)
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

}

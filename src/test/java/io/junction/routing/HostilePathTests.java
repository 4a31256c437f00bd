package io.junction.routing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.junction.RunningJunction;
import io.junction.Scrape;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The path corpus ({@code routing/hostile-paths.txt}) over raw sockets, against Junction
 * with three routes and a real app server behind each that records what it receives:
 * every path the policy refuses gets 400 and reaches no server; every path it takes
 * reaches the one pool its route names, at the path the route's rewrite allows. After
 * every entry a plain request is served.
 */
class HostilePathTests {

	private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";

	private static TestAppServer foo;

	private static TestAppServer admin;

	private static TestAppServer website;

	private static RunningJunction junction;

	@BeforeAll
	static void start() {
		foo = TestAppServer.start("foo");
		admin = TestAppServer.start("admin");
		website = TestAppServer.start("website");
		junction = Startup.junction(Map.of("foo", List.of(foo), "admin", List.of(admin), "website", List.of(website)),
				"server.http2.enabled=true", ROUTES + "[0].id=foo", ROUTES + "[0].uri=lb://foo",
				ROUTES + "[0].predicates[0]=PathRegex=^/services/foo/v1/",
				ROUTES + "[0].filters[0]=RewritePath=^/services/foo/v1/(?<rest>.*), /${rest}", ROUTES + "[1].id=admin",
				ROUTES + "[1].uri=lb://admin", ROUTES + "[1].predicates[0]=Path=/admin/**", ROUTES + "[2].id=website",
				ROUTES + "[2].uri=lb://website", ROUTES + "[2].predicates[0]=Path=/**");
	}

	@AfterAll
	static void stop() {
		junction.close();
		foo.close();
		admin.close();
		website.close();
	}

	@BeforeEach
	void forgetEarlierRequests() {
		List.of(foo, admin, website).forEach(TestAppServer::clear);
	}

	static Stream<Entry> corpus() throws IOException {
		return Entry.read("/routing/hostile-paths.txt").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void eachPathReachesOnlyWhatItsRouteAllows(Entry entry) throws IOException {
		String answer = send(entry.target());
		assertThat(answer).as(entry.name()).startsWith("HTTP/1.1 " + entry.status() + " ");
		List<TestAppServer.Received> received = receivedByAll();
		if (entry.status() == 400) {
			assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4)).as("the reason").isNotBlank();
			assertThat(received).as("no server saw it").isEmpty();
		}
		else {
			assertThat(received).singleElement().satisfies((request) -> {
				assertThat(request.server()).isEqualTo(entry.pool());
				assertThat(request.uri()).isEqualTo(entry.sent());
			});
		}
		junction.traffic().get().uri("/services/foo/v1/after").exchange().expectStatus().isOk();
	}

	@Test
	void aRefusalSaysWhatIsWrongWithThePathAndIsCounted() throws IOException {
		double before = Scrape.of(junction).value("junction_refused_requests_total", "status", "400");
		assertThat(send("/services/foo/v1/../../admin/users"))
			.endsWith("400 Bad Request: a dot segment (. or ..) in the path\n");
		assertThat(send("/services/foo/v1/x%00.html"))
			.endsWith("400 Bad Request: an encoded control character (%00) in the path\n");
		assertThat(Scrape.of(junction).value("junction_refused_requests_total", "status", "400")).isEqualTo(before + 2);
	}

	@Test
	void http2RequestsAreHeldToTheSamePolicy() {
		HttpClient client = HttpClient.create()
			.protocol(HttpProtocol.H2C)
			.baseUrl("http://127.0.0.1:" + junction.port())
			.responseTimeout(Duration.ofSeconds(10));
		Integer refused = client.get()
			.uri("/services/foo/v1/%2e%2e/%2e%2e/admin/users")
			.response()
			.map((response) -> response.status().code())
			.block();
		assertThat(refused).isEqualTo(400);
		String merged = client.get().uri("/services/foo/v1//x").responseContent().aggregate().asString().block();
		assertThat(merged).isEqualTo("foo");
		assertThat(receivedByAll()).extracting(TestAppServer.Received::uri).containsExactly("/x");
	}

	@Test
	void aRewriteThatWouldMakeADotSegmentIsRefused() {
		TestAppServer app = TestAppServer.start("app");
		try (RunningJunction rewriting = Startup.junction(Map.of("app", List.of(app)), ROUTES + "[0].id=up",
				ROUTES + "[0].uri=lb://app", ROUTES + "[0].predicates[0]=Path=/up/**",
				ROUTES + "[0].filters[0]=RewritePath=^/up/(?<rest>.*), /v1/.${rest}")) {
			rewriting.traffic().get().uri("/up/a").exchange().expectStatus().isOk();
			// Nothing after /up/ leaves "/v1/." to send.
			rewriting.traffic()
				.get()
				.uri("/up/")
				.exchange()
				.expectStatus()
				.isEqualTo(400)
				.expectBody(String.class)
				.isEqualTo("400 Bad Request: route 'up': a dot segment (. or ..) in the path\n");
			assertThat(app.receivedSoFar()).extracting(TestAppServer.Received::uri).containsExactly("/v1/.a");
		}
		finally {
			app.close();
		}
	}

	private static List<TestAppServer.Received> receivedByAll() {
		List<TestAppServer.Received> all = new ArrayList<>();
		for (TestAppServer server : List.of(foo, admin, website)) {
			all.addAll(server.receivedSoFar());
		}
		return all;
	}

	/** Sends a GET for {@code target} on a fresh connection; the whole answer. */
	private static String send(String target) throws IOException {
		byte[] head = ("GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		try (Socket socket = new Socket("127.0.0.1", junction.port())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(head);
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	/** One entry of the corpus. */
	record Entry(String name, int status, String pool, String sent, String target) {

		static List<Entry> read(String resource) throws IOException {
			List<Entry> entries = new ArrayList<>();
			String text;
			try (InputStream in = HostilePathTests.class.getResourceAsStream(resource)) {
				text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			String name = null;
			String[] expect = null;
			for (String line : text.split("\n")) {
				if (line.startsWith("### ")) {
					name = line.substring(4);
				}
				else if (line.startsWith("expect: ")) {
					expect = line.substring(8).split(" ");
				}
				else if (!line.isBlank() && !line.startsWith("#") && name != null && expect != null) {
					int status = Integer.parseInt(expect[0]);
					entries.add(new Entry(name, status, (status == 200) ? expect[1] : "",
							(status == 200) ? expect[2] : "", unescape(line)));
					name = null;
					expect = null;
				}
			}
			return entries;
		}

		// \xNN stands for a raw byte, sent as it is.
		private static String unescape(String line) {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			for (int i = 0; i < line.length(); i++) {
				if (line.startsWith("\\x", i)) {
					bytes.write(Integer.parseInt(line.substring(i + 2, i + 4), 16));
					i += 3;
				}
				else {
					bytes.write(line.charAt(i));
				}
			}
			return bytes.toString(StandardCharsets.ISO_8859_1);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}

package io.junction.balancing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.pools.ServerState;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sticky sessions ({@code sticky.cookie: SRV}) through a real Junction to three real
 * servers: a client keeps the server its cookie names, moves when that server is DOWN,
 * and neither its cookie nor the servers give away a server's address or name.
 */
class StickyIntegrationTests {

	private static final String POOL = "junction.backends.app.";

	private List<TestAppServer> servers;

	private RunningJunction junction;

	@BeforeEach
	void start() {
		this.servers = TestAppServer.startAll("app01", "app02", "app03");
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.add(POOL + "sticky.cookie=SRV");
		properties.add(POOL + "health-check.interval=300ms");
		properties.add(POOL + "health-check.timeout=100ms");
		this.junction = Startup.junction(Map.of("app", this.servers), properties.toArray(String[]::new));
	}

	@AfterEach
	void stop() {
		this.junction.close();
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void clientKeepsItsServerAcrossAHundredRequests() {
		EntityExchangeResult<String> first = get(this.junction.traffic().get().uri("/first"));
		String server = first.getResponseBody();
		String cookie = stickyCookie(first);
		assertThat(cookie).as("the first response names its server").isNotNull();
		assertThat(first.getResponseHeaders().get(HttpHeaders.CACHE_CONTROL)).containsExactly("private");
		for (int i = 0; i < 100; i++) {
			EntityExchangeResult<String> next = get(
					this.junction.traffic().get().uri("/next/" + i).cookie("SRV", cookie));
			assertThat(next.getResponseBody()).as("request %d", i).isEqualTo(server);
			// indirect: the client has the right cookie, so it is not set again.
			assertThat(next.getResponseHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
			assertThat(next.getResponseHeaders().get(HttpHeaders.CACHE_CONTROL)).isNull();
		}
	}

	@Test
	void clientWhoseServerIsDownMovesAndGetsANewCookie() {
		EntityExchangeResult<String> first = get(this.junction.traffic().get().uri("/first"));
		String cookie = stickyCookie(first);
		TestAppServer victim = server(first.getResponseBody());
		ServerState state = this.junction.server("app", victim).state();
		victim.kill();
		await().atMost(Duration.ofSeconds(10)).until(() -> !state.isUp());

		EntityExchangeResult<String> moved = get(this.junction.traffic().get().uri("/moved").cookie("SRV", cookie));
		String newServer = moved.getResponseBody();
		assertThat(newServer).isNotEqualTo(victim.name());
		String newCookie = stickyCookie(moved);
		assertThat(newCookie).isNotNull().isNotEqualTo(cookie);
		for (int i = 0; i < 10; i++) {
			assertThat(get(this.junction.traffic().get().uri("/after/" + i).cookie("SRV", newCookie)).getResponseBody())
				.isEqualTo(newServer);
		}
	}

	@Test
	void cookieNamesNoAddressNorNameAndNeverReachesTheServer() {
		for (int i = 0; i < this.servers.size(); i++) {
			EntityExchangeResult<String> first = get(this.junction.traffic().get().uri("/first/" + i));
			String cookie = stickyCookie(first);
			TestAppServer server = server(first.getResponseBody());
			assertThat(cookie).doesNotContain(String.valueOf(server.port()))
				.doesNotContain("127.0.0.1")
				.doesNotContainIgnoringCase(server.name())
				.doesNotContainIgnoringCase("app");
			this.servers.forEach(TestAppServer::clear);

			get(this.junction.traffic()
				.get()
				.uri("/with-cookies")
				.header(HttpHeaders.COOKIE, "theme=dark; SRV=" + cookie + "; lang=en"));
			TestAppServer.Received received = TestAppServer.takeFromOne(this.servers);
			assertThat(received.server()).isEqualTo(server.name());
			assertThat(received.headers().get(HttpHeaders.COOKIE)).containsExactly("theme=dark; lang=en");

			get(this.junction.traffic().get().uri("/only-sticky").cookie("SRV", cookie));
			assertThat(TestAppServer.takeFromOne(this.servers).headers().get(HttpHeaders.COOKIE)).isNull();
		}
	}

	@Test
	void unknownCookieGetsAServerAndARightCookie() {
		EntityExchangeResult<String> answered = get(
				this.junction.traffic().get().uri("/stale").cookie("SRV", "0123456789abcdef"));
		String cookie = stickyCookie(answered);
		assertThat(cookie).isNotNull().isNotEqualTo("0123456789abcdef");
		assertThat(get(this.junction.traffic().get().uri("/again").cookie("SRV", cookie)).getResponseBody())
			.isEqualTo(answered.getResponseBody());
	}

	@Test
	void cookieIsSecureForHttpsClientsAndKeepsTheServersCacheControl() {
		// Loopback is a trusted proxy by default: its X-Forwarded-Proto is believed.
		EntityExchangeResult<String> answered = get(this.junction.traffic()
			.get()
			.uri("/tls")
			.header("X-Forwarded-Proto", "https")
			.header(TestAppServer.RESPOND_WITH_HEADER, "Cache-Control: max-age=60"));
		String setCookie = answered.getResponseHeaders().getFirst(HttpHeaders.SET_COOKIE);
		assertThat(setCookie).matches("SRV=[0-9a-f]{16}; Path=/; HttpOnly; Secure");
		assertThat(answered.getResponseHeaders().get(HttpHeaders.CACHE_CONTROL)).containsExactly("max-age=60",
				"private");
		String plain = get(this.junction.traffic().get().uri("/plain")).getResponseHeaders()
			.getFirst(HttpHeaders.SET_COOKIE);
		assertThat(plain).doesNotContain("Secure");
	}

	private TestAppServer server(@Nullable String name) {
		for (TestAppServer server : this.servers) {
			if (server.name().equals(name)) {
				return server;
			}
		}
		throw new AssertionError("no server " + name);
	}

	private static EntityExchangeResult<String> get(WebTestClient.RequestHeadersSpec<?> request) {
		return request.exchange().expectStatus().isOk().expectBody(String.class).returnResult();
	}

	private static @Nullable String stickyCookie(EntityExchangeResult<String> result) {
		List<String> setCookies = result.getResponseHeaders().get(HttpHeaders.SET_COOKIE);
		if (setCookies == null) {
			return null;
		}
		for (String setCookie : setCookies) {
			if (setCookie.startsWith("SRV=")) {
				return setCookie.substring(4, setCookie.indexOf(';'));
			}
		}
		return null;
	}

}

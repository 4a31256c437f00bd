package io.junction.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.junction.Clients;
import io.junction.SeedApps;
import io.junction.SeedGatewayTests;
import io.junction.TestAppServer;
import io.junction.TestAppServer.Received;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's haproxy.cfg routing, end to end: path ACLs, reqrep, default_backend and
 * round-robin over real app servers.
 */
class SeedRoutingIntegrationTests extends SeedGatewayTests {

	@Test
	void fooPathReachesFooPoolWithPrefixRemovedAndQueryKept() {
		Received received = get("/services/foo/v1/something?x=1", SeedApps.FOO);
		assertThat(received.uri()).isEqualTo("/something?x=1");
	}

	@Test
	void percentEncodedPathAndQueryReachTheAppAsSent() {
		this.traffic.get()
			.uri(URI.create(
					"http://127.0.0.1:" + this.trafficPort + "/services/foo/v1/a%20b/c%2Fd;v=1?q=%26x%3D1&r=%C3%A9"))
			.exchange()
			.expectStatus()
			.isOk();
		Received received = TestAppServer.takeFromOne(SeedApps.FOO);
		assertThat(received.uri()).isEqualTo("/a%20b/c%2Fd;v=1?q=%26x%3D1&r=%C3%A9");
	}

	@Test
	void barPathReachesBarPoolWithPrefixRemoved() {
		Received received = get("/services/bar/v1/hello", SeedApps.BAR);
		assertThat(received.uri()).isEqualTo("/hello");
	}

	@Test
	void deeperPathKeepsEverythingAfterThePrefix() {
		Received received = get("/services/bar/v1/a/b/c", SeedApps.BAR);
		assertThat(received.uri()).isEqualTo("/a/b/c");
	}

	@Test
	void prefixWithoutTrailingSlashGoesToWebsiteUnchanged() {
		Received received = get("/services/foo/v1", List.of(SeedApps.WEBSITE));
		assertThat(received.uri()).isEqualTo("/services/foo/v1");
	}

	@Test
	void prefixInsideThePathGoesToWebsiteUnchanged() {
		Received received = get("/x/services/foo/v1/y?z=2", List.of(SeedApps.WEBSITE));
		assertThat(received.uri()).isEqualTo("/x/services/foo/v1/y?z=2");
	}

	@Test
	void queryStringIsNeverMatchedByPathRegex() {
		Received received = get("/elsewhere?next=/services/foo/v1/x", List.of(SeedApps.WEBSITE));
		assertThat(received.uri()).isEqualTo("/elsewhere?next=/services/foo/v1/x");
	}

	@Test
	void postWithBodyPassesThroughWithMethodBodyAndContentType() {
		this.traffic.post()
			.uri("/services/foo/v1/orders?dry-run=true")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"item\":42}")
			.exchange()
			.expectStatus()
			.isOk();
		Received received = TestAppServer.takeFromOne(SeedApps.ALL);
		assertThat(SeedApps.FOO.stream().map(TestAppServer::name)).contains(received.server());
		assertThat(received.method()).isEqualTo("POST");
		assertThat(received.uri()).isEqualTo("/orders?dry-run=true");
		assertThat(received.body()).isEqualTo("{\"item\":42}");
		assertThat(received.headers().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
	}

	@Test
	void otherMethodsPassThrough() {
		for (String method : List.of("PUT", "DELETE", "PATCH", "OPTIONS")) {
			this.traffic.method(HttpMethod.valueOf(method))
				.uri("/services/bar/v1/item/7")
				.exchange()
				.expectStatus()
				.isOk();
			Received received = TestAppServer.takeFromOne(SeedApps.ALL);
			assertThat(received.method()).isEqualTo(method);
			assertThat(received.uri()).isEqualTo("/item/7");
		}
	}

	@Test
	void roundRobinCyclesStrictlyOverThePool() {
		List<String> servers = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			servers.add(get("/services/foo/v1/rr", SeedApps.FOO).server());
		}
		assertThat(servers).filteredOn("foo-app01"::equals).hasSize(10);
		assertThat(servers).filteredOn("foo-app02"::equals).hasSize(10);
		assertThat(servers).filteredOn("foo-app03"::equals).hasSize(10);
		for (int i = 3; i < 30; i++) {
			assertThat(servers.get(i)).as("request %d repeats the cycle", i).isEqualTo(servers.get(i - 3));
		}
	}

	@Test
	void clientHostHeaderReachesTheAppUnchanged() {
		this.traffic.get()
			.uri("/services/foo/v1/host")
			.header("Host", "shop.example.com")
			.exchange()
			.expectStatus()
			.isOk();
		Received received = TestAppServer.takeFromOne(SeedApps.ALL);
		assertThat(received.headers().getFirst("Host")).isEqualTo("shop.example.com");
	}

	@Test
	void xForwardedHeadersAreAdded() {
		this.traffic.get()
			.uri("/services/foo/v1/xf")
			.header("Host", "shop.example.com")
			.exchange()
			.expectStatus()
			.isOk();
		Received received = TestAppServer.takeFromOne(SeedApps.ALL);
		assertThat(received.headers().getFirst("X-Forwarded-For")).isEqualTo("127.0.0.1");
		assertThat(received.headers().getFirst("X-Forwarded-Proto")).isEqualTo("http");
		assertThat(received.headers().getFirst("X-Forwarded-Host")).isEqualTo("shop.example.com");
		assertThat(received.headers().getFirst("X-Forwarded-Port")).isEqualTo(String.valueOf(this.trafficPort));
	}

	@Test
	void forwardedHeadersOfATrustedProxyAreKeptAndTheChainExtended() {
		// Loopback is a trusted proxy by default, as an ELB's private address is.
		this.traffic.get()
			.uri("/services/foo/v1/xf")
			.header("X-Forwarded-For", "203.0.113.7")
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Port", "443")
			.header("X-Forwarded-Host", "shop.example.com")
			.exchange()
			.expectStatus()
			.isOk();
		Received received = TestAppServer.takeFromOne(SeedApps.ALL);
		assertThat(received.headers().getFirst("X-Forwarded-For")).isEqualTo("203.0.113.7, 127.0.0.1");
		assertThat(received.headers().getFirst("X-Forwarded-Proto")).isEqualTo("https");
		assertThat(received.headers().getFirst("X-Forwarded-Port")).isEqualTo("443");
		assertThat(received.headers().getFirst("X-Forwarded-Host")).isEqualTo("shop.example.com");
	}

	@Test
	void hopByHopHeadersAreNotPassedOnEitherWay() {
		this.traffic.get()
			.uri("/services/foo/v1/hop")
			.header("Connection", "keep-alive, X-Per-Hop")
			.header("X-Per-Hop", "1")
			.header("Keep-Alive", "timeout=5")
			.header("Proxy-Authorization", "Basic am9lOnNlY3JldA==")
			.header("X-End-To-End", "1")
			.header(TestAppServer.RESPOND_WITH_HEADER, "Connection: X-Reply-Per-Hop", "X-Reply-Per-Hop: 1",
					"Proxy-Authenticate: Basic", "X-Reply-End-To-End: 1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Reply-End-To-End", "1")
			.expectHeader()
			.doesNotExist("X-Reply-Per-Hop")
			.expectHeader()
			.doesNotExist("Proxy-Authenticate");
		Received received = TestAppServer.takeFromOne(SeedApps.ALL);
		assertThat(received.headers().getFirst("X-End-To-End")).isEqualTo("1");
		assertThat(received.headers().headerNames()).doesNotContain("X-Per-Hop", "Keep-Alive", "Proxy-Authorization");
	}

	@Test
	void forwardingHeadersJunctionDoesNotVouchForAreDropped() {
		this.traffic.get()
			.uri("/services/foo/v1/xf")
			.header("Forwarded", "for=198.51.100.1")
			.header("X-Forwarded-Prefix", "/admin")
			.exchange()
			.expectStatus()
			.isOk();
		Received received = TestAppServer.takeFromOne(SeedApps.ALL);
		assertThat(received.headers().headerNames()).doesNotContain("Forwarded", "X-Forwarded-Prefix");
		assertThat(received.headers().getFirst("X-Forwarded-For")).isEqualTo("127.0.0.1");
	}

	private Received get(String uri, List<TestAppServer> expectedPool) {
		String body = Clients.okBody(this.traffic, uri);
		Received received = TestAppServer.takeFromOne(SeedApps.ALL);
		assertThat(expectedPool.stream().map(TestAppServer::name)).as("pool that answered " + uri)
			.contains(received.server());
		assertThat(body).isEqualTo(received.server());
		return received;
	}

}

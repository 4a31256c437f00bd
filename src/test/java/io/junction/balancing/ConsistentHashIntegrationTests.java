package io.junction.balancing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code balance: hash} through a real Junction to five real servers, one pool per
 * {@code hash-on}: every client keeps its server across requests, and the clients spread
 * over the servers.
 */
class ConsistentHashIntegrationTests {

	private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";

	private static final int CLIENTS = 30;

	private static final List<String> POOLS = List.of("byheader", "bycookie", "byaddress", "bypath");

	private static List<TestAppServer> servers;

	private static RunningJunction junction;

	@BeforeAll
	static void start() {
		servers = TestAppServer.startAll("app01", "app02", "app03", "app04", "app05");
		List<String> properties = new ArrayList<>();
		List<String> hashOn = List.of("header:X-User", "cookie:session", "client-address", "path");
		for (int i = 0; i < POOLS.size(); i++) {
			String pool = POOLS.get(i);
			properties.add("junction.backends." + pool + ".balance=hash");
			properties.add("junction.backends." + pool + ".hash-on=" + hashOn.get(i));
			properties.add(ROUTES + "[" + i + "].id=" + pool);
			properties.add(ROUTES + "[" + i + "].uri=lb://" + pool);
			properties.add(ROUTES + "[" + i + "].predicates[0]=Path=/" + pool + "/**");
		}
		// The path hashed is the one the server receives.
		properties.add(ROUTES + "[3].filters[0]=RewritePath=/bypath/(?<rest>.*), /${rest}");
		junction = Startup.junction(
				Map.of("byheader", servers, "bycookie", servers, "byaddress", servers, "bypath", servers),
				properties.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		junction.close();
		servers.forEach(TestAppServer::close);
	}

	@Test
	void aHeaderKeepsItsServer() {
		assertEachClientKeepsItsServer("/byheader/x",
				(client) -> junction.traffic()
					.get()
					.uri("/byheader/any/path/" + System.nanoTime())
					.header("X-User", "user-" + client));
	}

	@Test
	void aCookieKeepsItsServer() {
		assertEachClientKeepsItsServer("/bycookie/x",
				(client) -> junction.traffic()
					.get()
					.uri("/bycookie/any/path/" + System.nanoTime())
					.cookie("session", "s" + client));
	}

	@Test
	void aClientBehindATrustedProxyKeepsItsServerByTheAddressTheProxyNames() {
		// Loopback is a trusted proxy by default: the address hashed is the one it names.
		assertEachClientKeepsItsServer("/byaddress/x",
				(client) -> junction.traffic()
					.get()
					.uri("/byaddress/" + System.nanoTime())
					.header("X-Forwarded-For", "203.0.113." + client));
	}

	@Test
	void aPathKeepsItsServer() {
		assertEachClientKeepsItsServer("/bypath/x",
				(client) -> junction.traffic().get().uri("/bypath/objects/" + client + "?v=" + System.nanoTime()));
	}

	private static void assertEachClientKeepsItsServer(String name,
			Function<Integer, WebTestClient.RequestHeadersSpec<?>> request) {
		Set<String> used = new HashSet<>();
		for (int client = 0; client < CLIENTS; client++) {
			Set<String> answered = new HashSet<>();
			for (int i = 0; i < 5; i++) {
				answered.add(request.apply(client)
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody(String.class)
					.returnResult()
					.getResponseBody());
			}
			assertThat(answered).as("%s: client %d's servers", name, client).hasSize(1);
			used.addAll(answered);
		}
		assertThat(used).as("%s: servers the %d clients reached", name, CLIENTS).hasSizeGreaterThanOrEqualTo(4);
	}

}

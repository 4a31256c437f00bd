package io.junction.routing;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.junction.Clients;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.TestAppServer.Received;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The route index picks, for every request, the route Gateway's linear scan picks: over a
 * varied route table and a corpus of generated requests, including the paths that trip up
 * prefix matching.
 */
class RouteIndexIntegrationTests {

	/** Route predicates in their configured order; each route is {@code r<position>}. */
	private static final List<List<String>> ROUTES = List.of(List.of("Path=/api/v1/users/{id}"),
			List.of("Path=/api/v1/**", "Method=POST"), List.of("Path=/api/**", "Header=X-Tenant, acme"),
			List.of("PathRegex=^/services/foo/v1/"), List.of("PathRegex=^/services/bar/v\\d+/"),
			List.of("PathRegex=/legacy/"), List.of("PathRegex=^/x/|^/y/"), List.of("PathRegex=\\.php$"),
			List.of("PathRegex=^/ab?c/"), List.of("Path=/exact"), List.of("Path=/exact/"),
			List.of("Path=/files/{*rest}"), List.of("Path=/static/*.css"), List.of("Path=/{tenant}/dashboard"),
			List.of("Path=/m1/**,/m2/**"), List.of("Path=/api/**"), List.of("Host=**.example.com", "Path=/shop/**"),
			List.of("Query=debug"), List.of("PathRegex=^/services/", "Method=GET,HEAD"),
			List.of("Path=/services/foo/v1/**"), List.of("Path=/**"));

	private static final List<String> PIECES = List.of("", "/", "api", "v1", "users", "42", "services", "foo", "bar",
			"v2", "legacy", "x", "y", "index.php", "abc", "ac", "exact", "files", "a", "static", "site.css", "acme",
			"dashboard", "m1", "m2", "shop", "Services", "API", "%2F", "foo;v=1", "", "..", ".");

	@Test
	void indexPicksTheSameRouteAsTheLinearScanForEveryRequest() {
		TestAppServer app = TestAppServer.start("app01");
		try (ConfigurableApplicationContext context = Startup.run(properties(app).toArray(String[]::new))) {
			IndexedRoutePredicateHandlerMapping mapping = context.getBean(IndexedRoutePredicateHandlerMapping.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> mapping.index() != null);
			assertThat(mapping.index().size()).isEqualTo(ROUTES.size());

			Random random = new Random(20261125);
			int indexed = 0;
			for (int i = 0; i < 5_000; i++) {
				String path = randomPath(random);
				HttpMethod method = random.nextBoolean() ? HttpMethod.GET : HttpMethod.POST;
				String host = random.nextBoolean() ? "www.example.com" : "other.test";
				boolean tenant = random.nextInt(4) == 0;
				String query = (random.nextInt(5) == 0) ? "?debug=1" : "";
				String byIndex = routeId(mapping.lookupRoute(exchange(method, path + query, host, tenant)).block());
				String byScan = routeId(
						mapping.lookupRouteLinearly(exchange(method, path + query, host, tenant)).block());
				assertThat(byIndex).as("%s %s%s (Host %s, tenant %s)", method, path, query, host, tenant)
					.isEqualTo(byScan);
				if (path.indexOf('%') < 0 && path.indexOf(';') < 0) {
					indexed++;
				}
			}
			assertThat(indexed).as("requests served by the index, not the fallback").isGreaterThan(3_000);
		}
		finally {
			app.close();
		}
	}

	@Test
	void twoThousandRoutesRouteTheRequestMatchingTheLastToItsPool() {
		TestAppServer other = TestAppServer.start("other");
		TestAppServer last = TestAppServer.start("last");
		List<String> properties = new ArrayList<>();
		properties.add("junction.backends.other.servers[0].name=other");
		properties.add("junction.backends.other.servers[0].url=" + other.url());
		properties.add("junction.backends.last.servers[0].name=last");
		properties.add("junction.backends.last.servers[0].url=" + last.url());
		for (int i = 0; i < 2_000; i++) {
			String route = "spring.cloud.gateway.server.webflux.routes[" + i + "]";
			String id = String.format("r%04d", i);
			properties.add(route + ".id=" + id);
			properties.add(route + ".uri=lb://" + ((i == 1_999) ? "last" : "other"));
			properties.add(route + ".predicates[0]="
					+ ((i % 2 == 0) ? "Path=/svc/" + id + "/**" : "PathRegex=^/svc/" + id + "/"));
			properties.add(route + ".filters[0]=RewritePath=^/svc/" + id + "/(?<rest>.*), /$\\{rest}");
		}
		try (RunningJunction junction = Startup.junction(java.util.Map.of(), properties.toArray(String[]::new))) {
			assertThat(Clients.okBody(junction.traffic(), "/svc/r1999/orders?x=1")).isEqualTo("last");
			Received received = last.takeRequest();
			assertThat(received.uri()).isEqualTo("/orders?x=1");
			assertThat(Clients.okBody(junction.traffic(), "/svc/r1998/x")).isEqualTo("other");
		}
		finally {
			other.close();
			last.close();
		}
	}

	private static List<String> properties(TestAppServer app) {
		List<String> properties = new ArrayList<>();
		properties.add("junction.backends.app.servers[0].name=app01");
		properties.add("junction.backends.app.servers[0].url=" + app.url());
		properties.add("junction.backends.app.health-check.enabled=false");
		for (int i = 0; i < ROUTES.size(); i++) {
			String route = "spring.cloud.gateway.server.webflux.routes[" + i + "]";
			properties.add(route + ".id=r" + i);
			properties.add(route + ".uri=lb://app");
			List<String> predicates = ROUTES.get(i);
			for (int p = 0; p < predicates.size(); p++) {
				properties.add(route + ".predicates[" + p + "]=" + predicates.get(p));
			}
		}
		return properties;
	}

	private static String randomPath(Random random) {
		StringBuilder path = new StringBuilder();
		int segments = 1 + random.nextInt(5);
		for (int i = 0; i < segments; i++) {
			path.append('/').append(PIECES.get(random.nextInt(PIECES.size())));
		}
		if (random.nextInt(6) == 0) {
			path.append('/');
		}
		if (random.nextInt(10) == 0) {
			path.insert(0, '/');
		}
		return path.toString();
	}

	private static MockServerWebExchange exchange(HttpMethod method, String uri, String host, boolean tenant) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest
			.method(method, URI.create("http://localhost" + uri))
			.header("Host", host);
		if (tenant) {
			request.header("X-Tenant", "acme");
		}
		return MockServerWebExchange.from(request.build());
	}

	private static String routeId(Route route) {
		return (route != null) ? route.getId() : "(none)";
	}

}

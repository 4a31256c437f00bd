package io.junction.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.TestAppServer.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Junction's {@code RewritePath} (HAProxy's {@code reqrep}) rewrites the raw path as
 * Gateway's did and leaves the rest of the request as it was: query, headers and body
 * reach the app unchanged, and path filters after it see the rewritten path.
 * Percent-encoded paths are covered by {@code SeedRoutingIntegrationTests}.
 */
class RewritePathIntegrationTests {

	private final TestAppServer app = TestAppServer.start("app01");

	@AfterEach
	void stopServer() {
		this.app.close();
	}

	@Test
	void rewrittenPathKeepsQueryHeadersAndBody() {
		try (RunningJunction junction = junction("RewritePath=^/services/foo/v1/(?<rest>.*), /$\\{rest}")) {
			junction.traffic()
				.post()
				.uri("/services/foo/v1/items/7?q=1&r=two")
				.header("X-Trace", "t-1")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"item\":42}")
				.exchange()
				.expectStatus()
				.isOk();
			Received received = this.app.takeRequest();
			assertThat(received.uri()).isEqualTo("/items/7?q=1&r=two");
			assertThat(received.headers().getFirst("X-Trace")).isEqualTo("t-1");
			assertThat(received.headers().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
			assertThat(received.body()).isEqualTo("{\"item\":42}");
		}
	}

	@Test
	void pathFiltersAfterTheRewriteWorkOnTheRewrittenPath() {
		try (RunningJunction junction = junction("RewritePath=^/services/foo/v1/(?<rest>.*), /$\\{rest}",
				"PrefixPath=/api", "SetRequestHeader=X-Rewritten, yes")) {
			junction.traffic().get().uri("/services/foo/v1/hello?x=1").exchange().expectStatus().isOk();
			Received received = this.app.takeRequest();
			assertThat(received.uri()).isEqualTo("/api/hello?x=1");
			assertThat(received.headers().getFirst("X-Rewritten")).isEqualTo("yes");
		}
	}

	@Test
	void pathTheExpressionDoesNotMatchIsSentUnchanged() {
		try (RunningJunction junction = junction("RewritePath=^/elsewhere/(?<rest>.*), /$\\{rest}")) {
			junction.traffic().get().uri("/services/foo/v1/hello").exchange().expectStatus().isOk();
			assertThat(this.app.takeRequest().uri()).isEqualTo("/services/foo/v1/hello");
		}
	}

	private RunningJunction junction(String... filters) {
		String route = "spring.cloud.gateway.server.webflux.routes[0]";
		List<String> properties = new ArrayList<>(
				List.of(route + ".id=foo", route + ".uri=lb://foo", route + ".predicates[0]=Path=/**"));
		for (int i = 0; i < filters.length; i++) {
			properties.add(route + ".filters[" + i + "]=" + filters[i]);
		}
		return Startup.junction(Map.of("foo", List.of(this.app)), properties.toArray(String[]::new));
	}

}

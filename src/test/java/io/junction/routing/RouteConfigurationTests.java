package io.junction.routing;

import io.junction.InvalidConfigurationException;
import io.junction.Startup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** A route configured wrongly stops start-up with one line naming the key and route. */
@ExtendWith(OutputCaptureExtension.class)
class RouteConfigurationTests {

	private static final String ROUTE = "spring.cloud.gateway.server.webflux.routes[0]";

	private static final String[] POOL = { "junction.backends.services-foo-v1.servers[0].name=app01",
			"junction.backends.services-foo-v1.servers[0].url=http://127.0.0.1:19001" };

	@Test
	void lbUriNamingNoBackendIsRefused() {
		InvalidConfigurationException refusal = Startup
			.refusal(with(ROUTE + ".id=foo", ROUTE + ".uri=lb://nope", ROUTE + ".predicates[0]=Path=/foo/**"));
		assertThat(refusal).hasMessage(ROUTE + ".uri: route 'foo': lb://nope names no backend; "
				+ "configured under junction.backends: [services-foo-v1]");
	}

	@Test
	void routeWithoutPredicatesIsRefusedNamingTheRoute() {
		InvalidConfigurationException refusal = Startup
			.refusal(with(ROUTE + ".id=foo", ROUTE + ".uri=lb://services-foo-v1"));
		assertThat(refusal).hasMessage(ROUTE + ".predicates: route 'foo' has no predicates; "
				+ "give at least one, such as Path=/services/foo/**");
	}

	@Test
	void lbUriThatIsNotAHostNameIsRefused() {
		InvalidConfigurationException refusal = Startup.refusal(
				with(ROUTE + ".id=foo", ROUTE + ".uri=lb://services_foo_v1", ROUTE + ".predicates[0]=Path=/foo/**"));
		assertThat(refusal.getKey()).isEqualTo(ROUTE + ".uri");
		assertThat(refusal.getReason()).startsWith("route 'foo': lb://services_foo_v1 names no valid pool");
	}

	@Test
	void pathRegexThatDoesNotCompileIsRefusedNamingTheRoute() {
		InvalidConfigurationException refusal = Startup.refusal(with(ROUTE + ".id=services-foo-v1",
				ROUTE + ".uri=lb://services-foo-v1", ROUTE + ".predicates[0]=PathRegex=^/services/(foo"));
		assertThat(refusal).hasMessage(ROUTE + ".predicates[0]: route 'services-foo-v1': PathRegex "
				+ "'^/services/(foo' does not compile: Unclosed group near index 15");
	}

	@Test
	void pathRegexShortcutWithACommaIsRefusedRatherThanCut() {
		InvalidConfigurationException refusal = Startup.refusal(with(ROUTE + ".id=foo",
				ROUTE + ".uri=lb://services-foo-v1", ROUTE + ".predicates[0]=PathRegex=^/v{1,2}/"));
		assertThat(refusal.getKey()).isEqualTo(ROUTE + ".predicates[0]");
		assertThat(refusal.getReason()).contains("contains ','").contains("long form");
	}

	@Test
	void pathRegexLongFormMayContainACommaAndStarts() {
		try (ConfigurableApplicationContext context = Startup
			.run(with(ROUTE + ".id=foo", ROUTE + ".uri=lb://services-foo-v1", ROUTE + ".predicates[0].name=PathRegex",
					ROUTE + ".predicates[0].args.regex=^/v{1,2}/"))) {
			assertThat(context.isRunning()).isTrue();
		}
	}

	@Test
	void startWithNoRoutesIsAllowedAndSaysNothingIsRouted(CapturedOutput output) {
		try (ConfigurableApplicationContext context = Startup.run()) {
			assertThat(context.isRunning()).isTrue();
			assertThat(output.getOut()).contains("No routes configured (spring.cloud.gateway.server.webflux.routes "
					+ "is empty): nothing is routed, every request gets 404");
		}
	}

	private static String[] with(String... route) {
		String[] all = new String[POOL.length + route.length];
		System.arraycopy(POOL, 0, all, 0, POOL.length);
		System.arraycopy(route, 0, all, POOL.length, route.length);
		return all;
	}

}

package io.junction.routing;

import java.net.URI;
import java.util.function.Predicate;
import java.util.regex.PatternSyntaxException;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code PathRegex} has the semantics of HAProxy's {@code path_reg}. */
class PathRegexRoutePredicateFactoryTests {

	private final PathRegexRoutePredicateFactory factory = new PathRegexRoutePredicateFactory();

	@Test
	void anchoredRegexMatchesOnlyAtTheStartOfThePath() {
		Predicate<ServerWebExchange> predicate = predicate("^/services/foo/v1/");
		assertThat(predicate.test(exchange("/services/foo/v1/x"))).isTrue();
		assertThat(predicate.test(exchange("/services/foo/v1/"))).isTrue();
		assertThat(predicate.test(exchange("/services/foo/v1"))).isFalse();
		assertThat(predicate.test(exchange("/x/services/foo/v1/y"))).isFalse();
	}

	@Test
	void unanchoredRegexMatchesAnywhereInThePath() {
		Predicate<ServerWebExchange> predicate = predicate("/foo/v[0-9]+/");
		assertThat(predicate.test(exchange("/services/foo/v12/x"))).isTrue();
		assertThat(predicate.test(exchange("/foo/v1/"))).isTrue();
		assertThat(predicate.test(exchange("/foo/vx/"))).isFalse();
	}

	@Test
	void queryStringIsNeverSearched() {
		Predicate<ServerWebExchange> predicate = predicate("foo");
		assertThat(predicate.test(exchange("/bar?foo=1"))).isFalse();
		assertThat(predicate.test(exchange("/bar?x=1"))).isFalse();
		assertThat(predicate.test(exchange("/foo?x=1"))).isTrue();
	}

	@Test
	void pathIsMatchedAsReceivedStillEncoded() {
		Predicate<ServerWebExchange> predicate = predicate("^/a%20b$");
		assertThat(predicate.test(exchange("/a%20b"))).isTrue();
	}

	@Test
	void regexThatDoesNotCompileIsRefusedWhenConfigured() {
		assertThatExceptionOfType(PatternSyntaxException.class)
			.isThrownBy(() -> new PathRegexRoutePredicateFactory.Config().setRegex("^/(unclosed"));
	}

	@Test
	void predicateShowsItsRegex() {
		assertThat(predicate("^/x/")).hasToString("PathRegex: ^/x/");
	}

	private Predicate<ServerWebExchange> predicate(String regex) {
		return this.factory.apply(new PathRegexRoutePredicateFactory.Config().setRegex(regex));
	}

	private static ServerWebExchange exchange(String uri) {
		return MockServerWebExchange.from(MockServerHttpRequest.method(HttpMethod.GET, URI.create(uri)).build());
	}

}

package io.junction.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The prefixes the route index takes are necessary conditions of their predicates. */
class RouteIndexTests {

	@Test
	void pathPatternPrefixStopsAtTheLastSlashBeforeAWildcard() {
		assertThat(RouteIndex.pathPatternPrefix("/services/foo/**")).isEqualTo("/services/foo");
		assertThat(RouteIndex.pathPatternPrefix("/services/{id}/x")).isEqualTo("/services");
		assertThat(RouteIndex.pathPatternPrefix("/foo{id}")).isEmpty();
		assertThat(RouteIndex.pathPatternPrefix("/**")).isEmpty();
		assertThat(RouteIndex.pathPatternPrefix("/a/b?c")).isEqualTo("/a");
	}

	@Test
	void literalPathPatternMatchesWithOrWithoutTrailingSlash() {
		assertThat(RouteIndex.pathPatternPrefix("/exact/path/")).isEqualTo("/exact/path");
		assertThat(RouteIndex.pathPatternPrefix("/exact/path")).isEqualTo("/exact/path");
		assertThat(RouteIndex.pathPatternPrefix("no/slash")).isEqualTo("/no/slash");
	}

	@Test
	void anchoredRegexGivesItsLiteralStart() {
		assertThat(RouteIndex.regexPrefix("^/services/foo/v1/")).isEqualTo("/services/foo/v1/");
		assertThat(RouteIndex.regexPrefix("^/api\\.v2/x")).isEqualTo("/api.v2/x");
		assertThat(RouteIndex.regexPrefix("^/v[0-9]+/")).isEqualTo("/v");
		assertThat(RouteIndex.regexPrefix("^/items/(.*)")).isEqualTo("/items/");
	}

	@Test
	void characterThatMayBeAbsentEndsTheRegexPrefix() {
		assertThat(RouteIndex.regexPrefix("^/abc?/")).isEqualTo("/ab");
		assertThat(RouteIndex.regexPrefix("^/ab*")).isEqualTo("/a");
		assertThat(RouteIndex.regexPrefix("^/a{0,1}b")).isEqualTo("/");
	}

	@Test
	void unanchoredOrAlternatingRegexGivesNoPrefix() {
		assertThat(RouteIndex.regexPrefix("/services/foo/")).isEmpty();
		assertThat(RouteIndex.regexPrefix("^/a/|^/b/")).isEmpty();
		assertThat(RouteIndex.regexPrefix("^(?i)/a")).isEmpty();
		assertThat(RouteIndex.regexPrefix("^\\Q/a\\E")).isEmpty();
		assertThat(RouteIndex.regexPrefix("^\\d+")).isEmpty();
	}

}

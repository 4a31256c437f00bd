package io.junction.haproxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Lines are split into words as HAProxy splits its arguments. */
class HaproxyConfigTests {

	@Test
	void backslashEscapesASpaceButKeepsOtherEscapesForRegexes() {
		assertThat(HaproxyConfig.words("reqrep ^([^\\ :]*)\\ /a/(.*) \\1\\ /\\2")).containsExactly("reqrep",
				"^([^ :]*) /a/(.*)", "\\1 /\\2");
		assertThat(HaproxyConfig.words("acl a path_reg ^/a\\.b$")).containsExactly("acl", "a", "path_reg", "^/a\\.b$");
	}

	@Test
	void quotesJoinWordsAndSingleQuotesKeepEverything() {
		assertThat(HaproxyConfig.words("set-header X \"a b\\\"c\" 'd\\ e'f")).containsExactly("set-header", "X",
				"a b\"c", "d\\ ef");
	}

	@Test
	void hashStartsACommentOutsideQuotes() {
		assertThat(HaproxyConfig.words("  server a 10.0.0.1:80 # app \"a\"")).containsExactly("server", "a",
				"10.0.0.1:80");
		assertThat(HaproxyConfig.words("x \"a#b\" c\\#d")).containsExactly("x", "a#b", "c#d");
	}

	@Test
	void linesKeepTheirNumbersInTheirSections() {
		HaproxyConfig config = HaproxyConfig.parse("# top\nglobal\n  daemon\n\nbackend b from d\n  server s h:1\n");
		assertThat(config.sections()).hasSize(2);
		HaproxyConfig.Section backend = config.sections().get(1);
		assertThat(backend.name()).isEqualTo("b");
		assertThat(backend.from()).isEqualTo("d");
		assertThat(backend.lines()).singleElement().satisfies((line) -> assertThat(line.number()).isEqualTo(6));
	}

	@Test
	void unterminatedQuoteIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> HaproxyConfig.parse("global\n x \"a\n"))
			.withMessage("line 2: unterminated quote");
	}

}

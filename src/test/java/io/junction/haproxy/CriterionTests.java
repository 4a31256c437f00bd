package io.junction.haproxy;

import java.util.List;
import java.util.regex.Pattern;

import io.junction.haproxy.HaproxyConfig.Line;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The regexes made from ACL criteria match what HAProxy's criteria match: anchoring,
 * {@code path} against {@code path_beg}, case, the Host header with its port.
 */
class CriterionTests {

	@Test
	void pathIsExactAndPathBegAPrefix() {
		assertThat(searchesPath("path /a/b")).accepts("/a/b").rejects("/a/b/", "/a/bc", "/x/a/b");
		assertThat(searchesPath("path_beg /a/b")).accepts("/a/b", "/a/b/", "/a/bc").rejects("/x/a/b", "/a");
	}

	@Test
	void pathEndSubAndDir() {
		assertThat(searchesPath("path_end .css")).accepts("/a.css").rejects("/a.css/", "/acss");
		assertThat(searchesPath("path_sub search")).accepts("/search", "/a/research/b").rejects("/sear/ch");
		assertThat(searchesPath("path_dir docs")).accepts("/docs", "/a/docs/b", "/docs/").rejects("/mydocs", "/docsx");
		assertThat(searchesPath("path_dir /a/b/")).accepts("/x/a/b/y", "/a/b").rejects("/a/bc");
	}

	@Test
	void pathRegIsSearchedAnywhereUnlessAnchored() {
		assertThat(searchesPath("path_reg v[0-9]/")).accepts("/api/v2/x").rejects("/api/v/x");
		assertThat(searchesPath("path_reg ^/v[0-9]/")).accepts("/v2/x").rejects("/api/v2/x");
	}

	@Test
	void literalsAreQuotedAndMinusIIgnoresCase() throws NotConvertible {
		assertThat(searchesPath("path_beg /a.b(c)")).accepts("/a.b(c)").rejects("/axb(c)");
		assertThat(searchesPath("path_beg -i /API/")).accepts("/api/x", "/Api/x");
		assertThat(searchesPath("path_beg /API/")).rejects("/api/x");
		assertThat(criterion("path_beg /a.b(c)").pathSearchRegex()).isEqualTo("^/a\\.b\\(c\\)");
	}

	@Test
	void severalValuesAreAnOr() throws NotConvertible {
		assertThat(searchesPath("path /a /b")).accepts("/a", "/b").rejects("/ab", "/a/");
		assertThat(criterion("path /a /b").pathSearchRegex()).isEqualTo("^(?:/a|/b)$");
	}

	@Test
	void hostMatchesTheWholeValuePortIncluded() {
		assertThat(matchesHost("hdr(host) example.com")).accepts("example.com")
			.rejects("example.com:8080", "www.example.com", "Example.com");
		assertThat(matchesHost("hdr(host) -i example.com")).accepts("Example.COM");
		assertThat(matchesHost("hdr_beg(host) api.")).accepts("api.example.com", "api.").rejects("xapi.example.com");
		assertThat(matchesHost("hdr_end(host) .example.com")).accepts("www.example.com").rejects("www.example.com:80");
		assertThat(matchesHost("hdr_reg(host) ^api[0-9]\\.")).accepts("api1.example.com").rejects("xapi1.example");
		assertThat(matchesHost("hdr_reg(host) api")).accepts("myapi.example.com");
	}

	// Unsure: HAProxy's -m dom delimiters are taken to be '.', ':', '/' and '?'.
	@Test
	void hostDomMatchesDotDelimitedLabels() {
		assertThat(matchesHost("hdr_dom(host) example.com"))
			.accepts("example.com", "www.example.com", "www.example.com:8080", "example.com.cdn.net")
			.rejects("myexample.com", "example.community");
	}

	@Test
	void criteriaWithoutAJunctionPredicateAreRefusedWithTheReason() {
		assertThatExceptionOfType(NotConvertible.class).isThrownBy(() -> criterion("hdr(user-agent) curl"))
			.withMessageContaining("only hdr(host) converts");
		assertThatExceptionOfType(NotConvertible.class).isThrownBy(() -> criterion("ssl_fc"))
			.withMessage("criterion 'ssl_fc' has no Junction predicate yet");
		assertThatExceptionOfType(NotConvertible.class).isThrownBy(() -> criterion("path_beg -f /etc/paths"))
			.withMessageContaining("-f");
		assertThatExceptionOfType(NotConvertible.class).isThrownBy(() -> criterion("path -m len 3"))
			.withMessage("match method -m len has no Junction equivalent yet");
	}

	@Test
	void minusMChoosesTheMatchMethod() throws NotConvertible {
		assertThat(criterion("path -m beg /a").pathSearchRegex()).isEqualTo("^/a");
		assertThat(criterion("hdr(host) -m end .com").wholeValueRegex()).isEqualTo(".*\\.com");
	}

	private static Criterion criterion(String words) throws NotConvertible {
		List<String> split = HaproxyConfig.words(words);
		return Criterion.parse(new Line(1, split, words), split);
	}

	private static java.util.function.Predicate<String> searchesPath(String words) {
		try {
			Pattern pattern = Pattern.compile(criterion(words).pathSearchRegex());
			Pattern atStart = Pattern.compile("^(?=" + criterion(words).pathRegexAtStart() + ")");
			// The lookahead form, used with other tests, must agree with the search form.
			return (path) -> {
				boolean found = pattern.matcher(path).find();
				assertThat(atStart.matcher(path).find()).as(path).isEqualTo(found);
				return found;
			};
		}
		catch (NotConvertible ex) {
			throw new AssertionError(ex);
		}
	}

	private static java.util.function.Predicate<String> matchesHost(String words) {
		try {
			Pattern pattern = Pattern.compile(criterion(words).wholeValueRegex());
			return (host) -> pattern.matcher(host).matches();
		}
		catch (NotConvertible ex) {
			throw new AssertionError(ex);
		}
	}

}

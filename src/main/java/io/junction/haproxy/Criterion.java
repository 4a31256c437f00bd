package io.junction.haproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.junction.haproxy.HaproxyConfig.Line;

/**
 * One ACL test, {@code <fetch> [-i] [-m <method>] <value>...}: true when the fetched
 * sample matches any of the values. Only the fetches with a Junction predicate are taken.
 */
record Criterion(List<Line> lines, Fetch fetch, String argument, Match match, boolean ignoreCase, List<String> values) {

	private static final Pattern FETCH = Pattern
		.compile("(path|req\\.hdr|hdr|url_param|urlp|method|src)(?:_(beg|end|sub|reg|dir|dom))?(?:\\(([^)]*)\\))?");

	/** HAProxy's predefined ACLs that Junction can express. */
	private static final Map<String, List<String>> PREDEFINED = Map.of("METH_GET", List.of("method", "GET", "HEAD"),
			"METH_POST", List.of("method", "POST"), "METH_PUT", List.of("method", "PUT"), "METH_DELETE",
			List.of("method", "DELETE"), "METH_OPTIONS", List.of("method", "OPTIONS"), "METH_HEAD",
			List.of("method", "HEAD"));

	private static final String METACHARACTERS = "\\.[]{}()*+?^$|";

	/** What a criterion tests. */
	enum Fetch {

		PATH, HOST, METHOD, SOURCE, QUERY_PARAMETER

	}

	/** How its values are compared ({@code -m}). */
	enum Match {

		STR, BEG, END, SUB, REG, DIR, DOM

	}

	/** A predefined ACL such as {@code METH_GET}, or none. */
	static List<String> predefined(String name) {
		return PREDEFINED.getOrDefault(name, List.of());
	}

	/**
	 * Reads a criterion from {@code words}, the fetch first.
	 * @throws NotConvertible if Junction has no predicate for it
	 */
	static Criterion parse(Line line, List<String> words) throws NotConvertible {
		if (words.isEmpty()) {
			throw new NotConvertible("an ACL without a criterion");
		}
		Matcher fetch = FETCH.matcher(words.get(0));
		if (!fetch.matches()) {
			throw new NotConvertible("criterion '" + words.get(0) + "' has no Junction predicate yet");
		}
		String name = fetch.group(1);
		String argument = (fetch.group(3) != null) ? fetch.group(3).strip() : "";
		Match match = (fetch.group(2) != null) ? Match.valueOf(fetch.group(2).toUpperCase(Locale.ROOT)) : Match.STR;
		if (name.equals("path") && fetch.group(3) != null) {
			throw new NotConvertible("path takes no argument");
		}
		boolean ignoreCase = false;
		int i = 1;
		for (; i < words.size() && words.get(i).startsWith("-"); i++) {
			String flag = words.get(i);
			if (flag.equals("--")) {
				i++;
				break;
			}
			if (flag.equals("-i")) {
				ignoreCase = true;
			}
			else if (flag.equals("-m") && i + 1 < words.size()) {
				String method = words.get(++i).toUpperCase(Locale.ROOT);
				if (!List.of("STR", "BEG", "END", "SUB", "REG", "DIR", "DOM").contains(method)) {
					throw new NotConvertible("match method -m " + words.get(i) + " has no Junction equivalent yet");
				}
				match = Match.valueOf(method);
			}
			else {
				throw new NotConvertible("ACL flag " + flag + " has no Junction equivalent"
						+ (flag.equals("-f") ? " (write the file's patterns on the line)" : ""));
			}
		}
		List<String> values = List.copyOf(words.subList(i, words.size()));
		if (values.isEmpty()) {
			throw new NotConvertible("an ACL without values");
		}
		Fetch kind = switch (name) {
			case "path" -> Fetch.PATH;
			case "hdr", "req.hdr" -> host(argument);
			case "url_param", "urlp" -> Fetch.QUERY_PARAMETER;
			case "method" -> Fetch.METHOD;
			default -> Fetch.SOURCE;
		};
		if ((kind == Fetch.METHOD || kind == Fetch.SOURCE) && (fetch.group(3) != null || match != Match.STR)) {
			throw new NotConvertible(words.get(0) + " with a match method has no Junction predicate");
		}
		if (kind == Fetch.QUERY_PARAMETER && (argument.isEmpty() || argument.contains(","))) {
			throw new NotConvertible(words.get(0) + ": url_param needs exactly one parameter name");
		}
		if (kind == Fetch.PATH && match == Match.DOM) {
			throw new NotConvertible("path_dom has no Junction predicate yet");
		}
		for (String value : values) {
			// HAProxy's regexes are PCRE's, whose common syntax Java reads alike; one
			// that Java cannot compile is listed rather than guessed at.
			if (match == Match.REG) {
				try {
					Pattern.compile(value);
				}
				catch (RuntimeException ex) {
					throw new NotConvertible("regex '" + value + "' is not a Java regex");
				}
			}
			else if ((match == Match.DIR || match == Match.DOM) && trimDelimiters(value, match).isEmpty()) {
				throw new NotConvertible("-m " + match.name().toLowerCase(Locale.ROOT) + " with an empty pattern");
			}
		}
		return new Criterion(List.of(line), kind, argument, match, ignoreCase, values);
	}

	/**
	 * This criterion with the values of {@code other} too, if it tests the same way: two
	 * lines of one ACL are an OR, as two values on one line are.
	 */
	Optional<Criterion> merge(Criterion other) {
		if (this.fetch != other.fetch || !this.argument.equals(other.argument) || this.match != other.match
				|| this.ignoreCase != other.ignoreCase) {
			return Optional.empty();
		}
		List<Line> lines = new ArrayList<>(this.lines);
		lines.addAll(other.lines);
		List<String> values = new ArrayList<>(this.values);
		values.addAll(other.values);
		return Optional.of(new Criterion(List.copyOf(lines), this.fetch, this.argument, this.match, this.ignoreCase,
				List.copyOf(values)));
	}

	private static Fetch host(String header) throws NotConvertible {
		// hdr() of other headers splits their values on commas, which Gateway's Header
		// predicate does not: only Host, which has no commas, compares alike.
		if (!header.equalsIgnoreCase("host")) {
			throw new NotConvertible("hdr(" + header + ") has no Junction predicate yet; only hdr(host) converts"
					+ " (waits for: header matching on comma-separated values)");
		}
		return Fetch.HOST;
	}

	/**
	 * A regex that must match the whole sample: for the Host header and query parameters,
	 * whose Gateway predicates use {@link String#matches}.
	 */
	String wholeValueRegex() {
		String any = alternation();
		return flags() + switch (this.match) {
			case STR -> any;
			case BEG -> any + ".*";
			case END -> ".*" + any;
			case SUB -> ".*" + any + ".*";
			case DIR -> "(?:.*/)?" + any + "(?:/.*)?";
			// Unsure: HAProxy's -m dom takes '.', ':', '/' and '?' as delimiters, so
			// "example.com" matches "www.example.com:8080" too.
			case DOM -> "(?:.*[./?:])?" + any + "(?:[./?:].*)?";
			case REG -> (this.values.size() == 1 && anchoredBothEnds(this.values.get(0)))
					? this.values.get(0).substring(1, this.values.get(0).length() - 1) : ".*(?:" + any + ").*";
		};
	}

	/**
	 * A regex to search the path for, as {@code PathRegex} does: anchored where HAProxy's
	 * match method is.
	 */
	String pathSearchRegex() {
		String any = alternation();
		return flags() + switch (this.match) {
			case STR -> "^" + any + "$";
			case BEG -> "^" + any;
			case END -> any + "$";
			case SUB, REG, DOM -> any;
			case DIR -> "(?:^|/)" + any + "(?:/|$)";
		};
	}

	/** A regex matched from the path's start, for lookaheads: {@code (?=...)}. */
	String pathRegexAtStart() {
		String any = alternation();
		String regex = switch (this.match) {
			case STR -> any + "$";
			case BEG -> any;
			case END -> ".*" + any + "$";
			case SUB -> ".*" + any;
			case DIR -> "(?:.*/)?" + any + "(?:/|$)";
			case REG, DOM -> (this.values.size() == 1 && any.startsWith("^") && !any.contains("|")) ? any.substring(1)
					: ".*?(?:" + any + ")";
		};
		return this.ignoreCase ? "(?i:" + regex + ")" : regex;
	}

	// The values as one regex: literals quoted, regexes as written; several in a group.
	private String alternation() {
		List<String> alternatives = new ArrayList<>();
		for (String value : this.values) {
			alternatives.add((this.match == Match.REG) ? value : quote(trimDelimiters(value, this.match)));
		}
		if (alternatives.size() == 1) {
			return alternatives.get(0);
		}
		return "(?:" + String.join("|", alternatives) + ")";
	}

	private String flags() {
		return this.ignoreCase ? "(?i)" : "";
	}

	// Unsure: HAProxy's dir and dom matching are taken to ignore delimiters around the
	// pattern itself, so that "path_dir /api/" is "path_dir api".
	private static String trimDelimiters(String value, Match match) {
		String delimiters = switch (match) {
			case DIR -> "/";
			case DOM -> "./?:";
			default -> "";
		};
		int start = 0;
		int end = value.length();
		while (start < end && delimiters.indexOf(value.charAt(start)) >= 0) {
			start++;
		}
		while (end > start && delimiters.indexOf(value.charAt(end - 1)) >= 0) {
			end--;
		}
		return value.substring(start, end);
	}

	private static boolean anchoredBothEnds(String regex) {
		return regex.length() > 1 && regex.startsWith("^") && regex.endsWith("$") && !regex.endsWith("\\$")
				&& !regex.contains("|");
	}

	/** {@code literal} as a regex: only the metacharacters escaped, to stay readable. */
	static String quote(String literal) {
		StringBuilder quoted = new StringBuilder();
		for (char c : literal.toCharArray()) {
			if (METACHARACTERS.indexOf(c) >= 0) {
				quoted.append('\\');
			}
			quoted.append(c);
		}
		return quoted.toString();
	}

}

package io.junction.haproxy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.junction.haproxy.HaproxyConfig.Line;
import io.junction.haproxy.JunctionConfig.Definition;
import org.jspecify.annotations.Nullable;

/**
 * HAProxy's request rewrites ({@code reqrep}, {@code http-request replace-path},
 * {@code set-path}, {@code set-header}, {@code del-header}) as route filters.
 */
final class Rewrites {

	// reqrep on the request line that keeps the method and replaces a path prefix:
	// ^([^ :]*) <prefix>(.*) \1 <new prefix>\2 (after HAProxy's unescaping of "\ ").
	private static final Pattern PREFIX_REQREP = Pattern.compile("\\^\\(\\[\\^ :?]\\*\\) (.*)\\(\\.\\*\\)");

	private static final Pattern PREFIX_REPLACEMENT = Pattern.compile("\\\\1 (.*)\\\\2");

	private Rewrites() {
	}

	/** Whether {@code line} is a request rewrite, converted or not. */
	static boolean isRewrite(Line line) {
		return line.keyword().startsWith("req") || line.keyword().equals("http-request");
	}

	/**
	 * The filter for a rewrite line.
	 * @throws NotConvertible why it has no Junction filter
	 */
	static Definition filter(Line line) throws NotConvertible {
		String keyword = line.keyword();
		if (keyword.equals("reqrep") || keyword.equals("reqirep")) {
			if (line.size() != 3) {
				throw new NotConvertible("conditional " + keyword + " has no Junction equivalent"
						+ " (waits for: conditions on filters)");
			}
			return prefixRewrite(line.word(1), line.word(2), keyword.equals("reqirep"));
		}
		if (!keyword.equals("http-request")) {
			throw new NotConvertible(keyword + " has no Junction equivalent yet");
		}
		String action = line.word(1);
		if (!List.of("replace-path", "set-path", "set-header", "del-header").contains(action)) {
			throw new NotConvertible(action.equals("redirect")
					? "http-request redirect has no Junction equivalent"
							+ " (waits for: redirect routes; Junction redirects only http to https, with"
							+ " junction.http-redirect.port)"
					: "http-request " + action + " has no Junction equivalent yet");
		}
		if (line.words().contains("if") || line.words().contains("unless")) {
			throw new NotConvertible("conditional http-request " + action + " has no Junction equivalent"
					+ " (waits for: conditions on filters)");
		}
		return switch (action) {
			case "replace-path" -> replacePath(line);
			case "set-path" -> Definition.of("SetPath", "template", constant(line, 2, 3));
			case "set-header" ->
				Definition.of("SetRequestHeader", "name", constant(line, 2, 4), "value", constant(line, 3, 4));
			default -> Definition.of("RemoveRequestHeader", "name", constant(line, 2, 3));
		};
	}

	private static Definition prefixRewrite(String regex, String replacement, boolean ignoreCase)
			throws NotConvertible {
		Matcher shape = PREFIX_REQREP.matcher(regex);
		Matcher newPrefix = PREFIX_REPLACEMENT.matcher(replacement);
		String prefix = shape.matches() ? literal(shape.group(1)) : null;
		if (prefix == null || !newPrefix.matches() || !prefix.startsWith("/")
				|| !newPrefix.group(1).matches("[^\\\\$ ]*")) {
			throw new NotConvertible("reqrep converts only when it replaces a path prefix, as in"
					+ " reqrep ^([^\\ :]*)\\ /prefix/(.*) \\1\\ /\\2");
		}
		// The request line's "(.*)" also took the query and the version, which
		// RewritePath leaves as they were: the same result.
		return Definition.of("RewritePath", "regexp",
				(ignoreCase ? "(?i)" : "") + "^" + Criterion.quote(prefix) + "(?<rest>.*)", "replacement",
				newPrefix.group(1) + "$\\{rest}");
	}

	// The text a regex matches, if it matches only that: escaped characters taken
	// literally, no other metacharacter.
	private static @Nullable String literal(String regex) {
		StringBuilder literal = new StringBuilder();
		for (int i = 0; i < regex.length(); i++) {
			char c = regex.charAt(i);
			if (c == '\\' && i + 1 < regex.length() && !Character.isLetterOrDigit(regex.charAt(i + 1))) {
				literal.append(regex.charAt(++i));
			}
			else if ("\\.[]{}()*+?^$|".indexOf(c) >= 0) {
				return null;
			}
			else {
				literal.append(c);
			}
		}
		return literal.toString();
	}

	/**
	 * {@code http-request replace-path <regex> <format>}: HAProxy replaces the whole path
	 * with the format when the regex matches anywhere in it (its unmatched ends are
	 * dropped), where Java's replaceAll replaces each match alone: the regex is widened
	 * to the whole path unless it already covers it. Its groups are named, since the
	 * replacement is written as $\{g1}.
	 */
	private static Definition replacePath(Line line) throws NotConvertible {
		if (line.size() != 4) {
			throw new NotConvertible("http-request replace-path needs a regex and a format");
		}
		String regex = line.word(2);
		try {
			Pattern.compile(regex);
		}
		catch (RuntimeException ex) {
			throw new NotConvertible("regex '" + regex + "' is not a Java regex");
		}
		StringBuilder named = new StringBuilder();
		int groups = 0;
		boolean inClass = false;
		for (int i = 0; i < regex.length(); i++) {
			char c = regex.charAt(i);
			if (c == '\\' && i + 1 < regex.length()) {
				named.append(c).append(regex.charAt(++i));
				continue;
			}
			if (inClass) {
				inClass = c != ']';
			}
			else if (c == '[') {
				inClass = true;
				// A ']' first in a class, after an optional '^', is a literal.
				if (regex.startsWith("^]", i + 1) || regex.startsWith("]", i + 1)) {
					int skip = regex.startsWith("^]", i + 1) ? 2 : 1;
					named.append(regex, i, i + 1 + skip);
					i += skip;
					continue;
				}
			}
			else if (c == '(' && !regex.startsWith("?", i + 1)) {
				named.append("(?<g").append(++groups).append('>');
				continue;
			}
			named.append(c);
		}
		boolean coversPath = regex.startsWith("^") && !regex.contains("|")
				&& (regex.endsWith(".*") || regex.endsWith(".*)") || (regex.endsWith("$") && !regex.endsWith("\\$")));
		String widened = coversPath ? named.toString() : "^.*?(?:" + named + ").*";
		return Definition.of("RewritePath", "regexp", widened, "replacement", replacement(line.word(3), groups));
	}

	private static String replacement(String format, int groups) throws NotConvertible {
		StringBuilder replacement = new StringBuilder();
		for (int i = 0; i < format.length(); i++) {
			char c = format.charAt(i);
			if (c == '%') {
				throw new NotConvertible("a format with %[...] samples has no Junction equivalent yet");
			}
			if (c == '\\' && i + 1 < format.length() && Character.isDigit(format.charAt(i + 1))) {
				int group = format.charAt(++i) - '0';
				if (group == 0 || group > groups) {
					throw new NotConvertible("\\" + group + " names no group of the regex");
				}
				replacement.append("$\\{g").append(group).append('}');
			}
			else if (c == '\\' || c == '$') {
				replacement.append('\\').append(c);
			}
			else {
				replacement.append(c);
			}
		}
		return replacement.toString();
	}

	// An argument without samples; Gateway would also read {...} as a template variable.
	private static String constant(Line line, int index, int size) throws NotConvertible {
		if (line.size() != size) {
			throw new NotConvertible(
					"http-request " + line.word(1) + " with these arguments has no Junction" + " equivalent");
		}
		String value = line.word(index);
		if (value.contains("%") || value.contains("{")) {
			throw new NotConvertible("a value with %[...] samples or braces has no Junction equivalent yet");
		}
		if (value.chars().anyMatch(Character::isISOControl)) {
			throw new NotConvertible("a value with control characters has no Junction equivalent");
		}
		return value;
	}

}

package io.junction.comparison;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests made from an haproxy.cfg's ACLs (HAProxy's {@code acl} and anonymous {@code {
 * ... }} conditions): each path value as it is, at its boundaries (one character short,
 * one more, with and without its last slash), near misses (another case, a changed
 * character, under another prefix), with queries and percent-encoded characters; each
 * Host value with a port, in capitals, under a subdomain, and as a prefix of another
 * name. Always the same requests for the same file and count.
 */
final class RequestGenerator {

	// A criterion and its flags and values, up to the end of the condition; not the end
	// of another word (replace-path, set-path).
	private static final Pattern CRITERION = Pattern.compile(
			"(?<![\\w.-])(?<criterion>path|path_beg|path_end|path_dir|path_sub|path_reg|(?:req\\.)?hdr(?:_beg|_end|_dom|_reg|_sub)?\\(host\\))"
					+ "(?<rest>(?:\\s+(?!\\|\\||\\}|if\\b|unless\\b)\\S+)+)",
			Pattern.CASE_INSENSITIVE);

	private static final String[] METHODS = { "GET", "POST", "PUT", "DELETE" };

	private RequestGenerator() {
	}

	/** {@code count} requests made from the ACLs of {@code lines}, an haproxy.cfg. */
	static List<ComparedRequest> generate(List<String> lines, int count) {
		Set<String> paths = new LinkedHashSet<>(List.of("/", "/index.html", "/favicon.ico", "/x/y?z=1"));
		Set<String> hosts = new LinkedHashSet<>();
		for (String line : lines) {
			String code = line.strip();
			if (code.startsWith("#")) {
				continue;
			}
			Matcher matcher = CRITERION.matcher(code);
			while (matcher.find()) {
				boolean isHost = matcher.group("criterion").toLowerCase(Locale.ROOT).contains("hdr");
				boolean isRegex = matcher.group("criterion").toLowerCase(Locale.ROOT).endsWith("reg")
						|| matcher.group("criterion").toLowerCase(Locale.ROOT).endsWith("_reg(host)");
				for (String value : values(matcher.group("rest"))) {
					String literal = isRegex ? literalOf(value) : value;
					if (isHost) {
						hosts.addAll(hostVariants(literal));
					}
					else {
						paths.addAll(pathVariants(literal));
					}
				}
			}
		}
		List<String> hostChoices = new ArrayList<>();
		hostChoices.add(null);
		hostChoices.addAll(hosts);
		List<ComparedRequest> requests = new ArrayList<>();
		Set<String> seen = new LinkedHashSet<>();
		// Every path once without a Host of its own, then with each host, then more
		// paths under the known ones, until there are enough.
		Random random = new Random(count);
		List<String> pathList = new ArrayList<>(paths);
		int round = 0;
		while (requests.size() < count && round < 10 * count) {
			for (int p = 0; p < pathList.size() && requests.size() < count; p++) {
				String path = (round == 0) ? pathList.get(p) : deeper(pathList.get(p), random);
				String host = hostChoices.get((p + round) % hostChoices.size());
				String method = METHODS[(p + round) % METHODS.length];
				ComparedRequest request = new ComparedRequest(method, path, host, Map.of());
				if (seen.add(request.describe())) {
					requests.add(request);
				}
			}
			round++;
		}
		return requests;
	}

	// The values after a criterion, its flags left out.
	private static List<String> values(String rest) {
		List<String> values = new ArrayList<>();
		String[] words = rest.strip().split("\\s+");
		for (int i = 0; i < words.length; i++) {
			if (words[i].equals("-m") || words[i].equals("-f") || words[i].equals("-M")) {
				i++;
			}
			else if (!words[i].startsWith("-") && !words[i].equals("!")) {
				values.add(unquote(words[i]));
			}
		}
		return values;
	}

	private static String unquote(String word) {
		if (word.length() >= 2
				&& (word.startsWith("\"") && word.endsWith("\"") || word.startsWith("'") && word.endsWith("'"))) {
			return word.substring(1, word.length() - 1);
		}
		return word;
	}

	// The literal start of a regex: what a request must hold to match it, roughly.
	static String literalOf(String regex) {
		StringBuilder literal = new StringBuilder();
		int i = regex.startsWith("^") ? 1 : 0;
		for (; i < regex.length(); i++) {
			char c = regex.charAt(i);
			if (c == '\\' && i + 1 < regex.length() && !Character.isLetterOrDigit(regex.charAt(i + 1))) {
				literal.append(regex.charAt(++i));
			}
			else if (".[]()*+?{}|$^\\".indexOf(c) >= 0) {
				break;
			}
			else {
				literal.append(c);
			}
		}
		return literal.toString();
	}

	private static List<String> pathVariants(String value) {
		String path = value.startsWith("/") ? value : "/" + value;
		List<String> variants = new ArrayList<>();
		variants.add(path);
		variants.add(path + "x");
		variants.add(path + (path.endsWith("/") ? "" : "/") + "a/b?c=d");
		if (path.length() > 1) {
			variants.add(path.substring(0, path.length() - 1));
		}
		variants.add(path.endsWith("/") ? path.substring(0, Math.max(1, path.length() - 1)) : path + "/");
		variants.add(path.toUpperCase(Locale.ROOT));
		variants.add("/other" + path);
		variants.add(path + "?q=" + path);
		variants.add("/x?p=" + path);
		int letter = firstLetter(path);
		if (letter >= 0) {
			char c = path.charAt(letter);
			variants.add(path.substring(0, letter) + (char) ((c == 'z') ? 'a' : c + 1) + path.substring(letter + 1));
			// An encoded letter: both pass it on as sent, and match the raw path.
			variants.add(path.substring(0, letter) + String.format("%%%02X", (int) c) + path.substring(letter + 1));
		}
		return variants;
	}

	private static int firstLetter(String path) {
		for (int i = 0; i < path.length(); i++) {
			if (Character.isLetter(path.charAt(i)) && path.charAt(i) < 128) {
				return i;
			}
		}
		return -1;
	}

	private static List<String> hostVariants(String host) {
		return List.of(host, host + ":8080", host.toUpperCase(Locale.ROOT), "www." + host, host + ".example.net",
				"x" + host);
	}

	private static String deeper(String path, Random random) {
		int query = path.indexOf('?');
		String base = (query >= 0) ? path.substring(0, query) : path;
		String segment = Integer.toString(random.nextInt(1000), 36);
		return base + (base.endsWith("/") ? "" : "/") + segment + ((query >= 0) ? path.substring(query) : "");
	}

}

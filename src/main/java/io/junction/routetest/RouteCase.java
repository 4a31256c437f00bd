package io.junction.routetest;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One case of a route test: a request, and what must become of it. Read from a cases
 * file:
 *
 * <pre>
 * cases:
 *   - request: GET /services/foo/v1/hello?x=1
 *     host: api.example.com          # optional
 *     headers: {X-Debug: "1"}        # optional
 *     route: services-foo-v1         # the route that takes it; none for no route
 *     pool: services-foo-v1          # the pool it reaches
 *     path: /hello?x=1               # the path and query the server receives
 *     status: 200                    # optional; 200 when it reaches a server
 * </pre>
 *
 * @param line the case's line in its file
 * @param method the request's method
 * @param target the request's path and query, as sent
 * @param host the Host header, or null for Junction's address
 * @param headers other request headers
 * @param route the route expected, {@code none} for no route, or null if not checked
 * @param pool the pool expected, or null if not checked
 * @param path the path and query the server must receive, or null if not checked
 * @param status the status expected, or null for 200 when a route, pool or path is
 * expected (the request reaches a server) and not checked otherwise
 */
public record RouteCase(int line, String method, String target, @Nullable String host, Map<String, String> headers,
		@Nullable String route, @Nullable String pool, @Nullable String path, @Nullable Integer status) {

	/** The route expected of a request that no route takes. */
	public static final String NO_ROUTE = "none";

	private static final Set<String> KEYS = Set.of("request", "host", "headers", "route", "pool", "path", "status");

	/** The status this case expects, or null when it expects none in particular. */
	public @Nullable Integer expectedStatus() {
		if (this.status != null) {
			return this.status;
		}
		boolean reachesServer = (this.pool != null || this.path != null)
				|| (this.route != null && !NO_ROUTE.equals(this.route));
		return reachesServer ? 200 : (NO_ROUTE.equals(this.route) ? 404 : null);
	}

	/** The request as one line: method and target, and the host when there is one. */
	public String describe() {
		return this.method + " " + this.target + ((this.host != null) ? " (Host: " + this.host + ")" : "");
	}

	/**
	 * Reads the cases of {@code file}.
	 * @throws IllegalArgumentException naming the line of a case that cannot be read
	 */
	public static List<RouteCase> read(Path file) throws IOException {
		Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
		String text = Files.readString(file, StandardCharsets.UTF_8);
		Object document;
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			document = yaml.load(reader);
		}
		if (!(document instanceof Map<?, ?> root) || !(root.get("cases") instanceof List<?> entries)) {
			throw new IllegalArgumentException(file + ": expected a list under 'cases:'");
		}
		List<Integer> lines = caseLines(text);
		List<RouteCase> cases = new ArrayList<>();
		for (int i = 0; i < entries.size(); i++) {
			int line = (i < lines.size()) ? lines.get(i) : 0;
			if (!(entries.get(i) instanceof Map<?, ?> entry)) {
				throw new IllegalArgumentException(file + ":" + line + ": a case is a map with 'request:'");
			}
			cases.add(of(file + ":" + line, line, entry));
		}
		return cases;
	}

	private static RouteCase of(String where, int line, Map<?, ?> entry) {
		for (Object key : entry.keySet()) {
			if (!KEYS.contains(String.valueOf(key))) {
				throw new IllegalArgumentException(where + ": unknown key '" + key + "'; a case takes "
						+ String.join(", ", KEYS.stream().sorted().toList()));
			}
		}
		String request = text(entry.get("request"));
		if (request == null || request.isBlank()) {
			throw new IllegalArgumentException(where + ": 'request' is required, such as GET /services/foo/v1/x");
		}
		String[] parts = request.trim().split("\\s+");
		String method = (parts.length > 1) ? parts[0].toUpperCase(Locale.ROOT) : "GET";
		String target = parts[parts.length - 1];
		if (parts.length > 2 || !target.startsWith("/")) {
			throw new IllegalArgumentException(
					where + ": 'request' is a method and a path starting with '/', such as GET /x?y=1");
		}
		Map<String, String> headers = new LinkedHashMap<>();
		Object headerMap = entry.get("headers");
		if (headerMap instanceof Map<?, ?> given) {
			given.forEach((name, value) -> headers.put(String.valueOf(name), String.valueOf(value)));
		}
		else if (headerMap != null) {
			throw new IllegalArgumentException(where + ": 'headers' is a map of names to values");
		}
		Integer status = null;
		Object statusValue = entry.get("status");
		if (statusValue != null) {
			try {
				status = Integer.valueOf(String.valueOf(statusValue));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(where + ": 'status' is a number, such as 404");
			}
		}
		return new RouteCase(line, method, target, text(entry.get("host")), headers, text(entry.get("route")),
				text(entry.get("pool")), text(entry.get("path")), status);
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? String.valueOf(value) : null;
	}

	// The line of each list item under 'cases:', for messages: SnakeYAML's maps do not
	// keep it.
	private static List<Integer> caseLines(String text) {
		List<Integer> lines = new ArrayList<>();
		String[] all = text.split("\n", -1);
		boolean inCases = false;
		int indent = -1;
		for (int i = 0; i < all.length; i++) {
			String line = all[i];
			String stripped = line.stripLeading();
			if (line.startsWith("cases:")) {
				inCases = true;
				continue;
			}
			if (!inCases || !stripped.startsWith("- ") && !stripped.equals("-")) {
				continue;
			}
			int at = line.length() - stripped.length();
			if (indent < 0) {
				indent = at;
			}
			if (at == indent) {
				lines.add(i + 1);
			}
		}
		return lines;
	}

}

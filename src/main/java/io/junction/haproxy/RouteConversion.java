package io.junction.haproxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.junction.haproxy.Condition.Test;
import io.junction.haproxy.Criterion.Fetch;
import io.junction.haproxy.HaproxyConfig.Line;
import io.junction.haproxy.HaproxyConfig.Section;
import io.junction.haproxy.JunctionConfig.Definition;
import io.junction.haproxy.JunctionConfig.Route;
import org.jspecify.annotations.Nullable;

/**
 * A {@code frontend} or {@code listen} section as routes: one per OR branch of each
 * {@code use_backend} rule, in order, then {@code default_backend} as {@code Path=/**}.
 * Its timeouts, {@code maxconn} and {@code bind} become Junction's traffic port settings.
 */
final class RouteConversion {

	private final JunctionConfig config;

	// A Host that the negated test's regex does not match as a whole.
	private static final String NOT_HOST = "(?!(?:";

	private final Map<String, PoolConversion> pools;

	private final Losses losses;

	private final Map<String, List<Criterion>> acls = new LinkedHashMap<>();

	private final Map<String, String> unconvertibleAcls = new LinkedHashMap<>();

	private final List<Definition> filters = new ArrayList<>();

	private final List<Line> filterLines = new ArrayList<>();

	private final Map<String, Integer> routesByPool;

	private final Map<String, String> idleTimeouts = new LinkedHashMap<>();

	private RouteConversion(JunctionConfig config, Map<String, PoolConversion> pools, Map<String, Integer> routesByPool,
			Losses losses) {
		this.config = config;
		this.pools = pools;
		this.routesByPool = routesByPool;
		this.losses = losses;
	}

	/**
	 * Adds the routes of {@code section} to {@code config}.
	 * @param pools the pools by HAProxy backend name
	 */
	static void convert(Section section, List<Line> defaults, JunctionConfig config, Map<String, PoolConversion> pools,
			Losses losses) {
		RouteConversion conversion = new RouteConversion(config, pools, new LinkedHashMap<>(), losses);
		for (Line line : defaults) {
			conversion.trafficPortSetting(line);
		}
		List<Line> rules = new ArrayList<>();
		@Nullable Line defaultBackend = null;
		for (Line line : defaults) {
			if (line.keyword().equals("default_backend")) {
				defaultBackend = line;
			}
		}
		boolean listen = section.kind().equals("listen");
		for (Line line : section.lines()) {
			switch (line.keyword()) {
				case "acl" -> conversion.acl(line);
				case "use_backend" -> rules.add(line);
				case "default_backend" -> defaultBackend = line;
				// A listen section's rules are its pool's filters: not taken twice.
				case "http-request" -> {
					if (!listen) {
						conversion.headerFilter(line);
					}
				}
				default -> conversion.trafficPortSetting(line);
			}
		}
		// HAProxy waits for a next request for timeout http-keep-alive, or where it is
		// unset timeout http-request, or else timeout client.
		for (String timeout : List.of("http-keep-alive", "http-request", "client")) {
			if (conversion.idleTimeouts.containsKey(timeout)) {
				config.settings.put("junction.limits.idle-timeout", conversion.idleTimeouts.get(timeout));
				break;
			}
		}
		if (conversion.idleTimeouts.containsKey("http-request")) {
			config.settings.put("junction.limits.request-head-timeout", conversion.idleTimeouts.get("http-request"));
		}
		for (Line rule : rules) {
			conversion.useBackend(rule);
		}
		if (defaultBackend != null) {
			conversion.route(defaultBackend, defaultBackend.word(1), List.of(), List.of(defaultBackend));
		}
		else if (section.kind().equals("listen") && pools.containsKey(section.name())) {
			// A listen section is also its own default backend.
			conversion.route(section.header(), section.name(), List.of(), List.of(section.header()));
		}
	}

	private void acl(Line line) {
		String name = line.word(1);
		try {
			Criterion criterion = Criterion.parse(line, line.after(2));
			List<Criterion> criteria = this.acls.computeIfAbsent(name, (n) -> new ArrayList<>());
			Optional<Criterion> merged = criteria.isEmpty() ? Optional.empty()
					: criteria.get(criteria.size() - 1).merge(criterion);
			if (merged.isPresent()) {
				criteria.set(criteria.size() - 1, merged.get());
			}
			else {
				criteria.add(criterion);
			}
			this.losses.handled(line);
		}
		catch (NotConvertible ex) {
			this.unconvertibleAcls.putIfAbsent(name, "line " + line.number() + ": " + ex.getMessage());
			this.losses.add(line, ex.getMessage());
		}
	}

	// Frontend rules run before use_backend, so only those that cannot change the
	// choice of backend become filters of every route.
	private void headerFilter(Line line) {
		try {
			String action = line.word(1);
			boolean rewrite = List
				.of("set-header", "del-header", "replace-path", "set-path", "replace-header", "set-uri", "replace-uri",
						"set-query")
				.contains(action);
			if (rewrite && (!(action.equals("set-header") || action.equals("del-header"))
					|| line.word(2).equalsIgnoreCase("host"))) {
				throw new NotConvertible("http-request " + action + " in a frontend runs before use_backend"
						+ " (waits for: rewrites before routing); move it to the backends");
			}
			this.filters.add(Rewrites.filter(line));
			this.filterLines.add(line);
			this.losses.handled(line);
		}
		catch (NotConvertible ex) {
			this.losses.add(line, ex.getMessage());
		}
	}

	private void trafficPortSetting(Line line) {
		String keyword = line.keyword();
		String argument = line.word(1);
		try {
			switch (keyword) {
				case "bind" -> bind(line);
				case "maxconn" -> this.config.settings.put("junction.limits.max-connections", number(argument));
				case "timeout" -> {
					if (!List.of("client", "http-keep-alive", "http-request").contains(argument)) {
						return;
					}
					this.idleTimeouts.put(argument, HaproxyDurations.duration(line.word(2)));
				}
				case "mode" -> {
					if (!argument.equals("http")) {
						throw new NotConvertible("mode " + argument + ": Junction proxies HTTP only");
					}
				}
				case "option" -> {
					if (!argument.equals("forwardfor")) {
						return;
					}
				}
				default -> {
					return;
				}
			}
			this.losses.handled(line);
		}
		catch (NotConvertible ex) {
			this.losses.add(line, ex.getMessage());
		}
	}

	private void bind(Line line) throws NotConvertible {
		String address = line.word(1);
		int colon = address.lastIndexOf(':');
		String host = (colon >= 0) ? address.substring(0, colon) : "";
		if (line.size() > 2 || colon < 0 || !List.of("", "*", "0.0.0.0", "::", "[::]").contains(host)) {
			throw new NotConvertible("Junction converts only 'bind *:<port>'; see README: Ports, TLS");
		}
		if (this.config.settings.containsKey("server.port")) {
			throw new NotConvertible("Junction has one traffic port (waits for: several listeners)");
		}
		int port = number(address.substring(colon + 1));
		// The image runs as uid 10001, which cannot listen below 1024: such a bind keeps
		// Junction's 8080, where the ELB's target group then points.
		if (port >= 1024) {
			this.config.settings.put("server.port", port);
		}
	}

	private static int number(String value) throws NotConvertible {
		if (!value.matches("[0-9]{1,9}")) {
			throw new NotConvertible("'" + value + "' is not a number");
		}
		return Integer.parseInt(value);
	}

	private void useBackend(Line rule) {
		try {
			Condition condition = Condition.parse(rule, rule.after(2), this.acls, this.unconvertibleAcls);
			if (rule.word(1).contains("%[")) {
				throw new NotConvertible("a backend chosen by a sample expression has no Junction equivalent"
						+ " (waits for: dynamic backends); write one rule per backend");
			}
			// Every branch converts, or the rule makes no route at all.
			Map<List<Test>, List<Definition>> predicates = new LinkedHashMap<>();
			for (List<Test> branch : condition.branches()) {
				predicates.put(branch, predicates(branch));
			}
			predicates.forEach((branch, branchPredicates) -> {
				List<Line> sources = Condition.lines(branch);
				if (!sources.contains(rule)) {
					sources.add(rule);
				}
				sources.sort(Comparator.comparingInt(Line::number));
				route(rule, rule.word(1), branchPredicates, sources);
			});
			if (condition.branches().isEmpty()) {
				this.losses.add(rule, "the condition never holds: no route");
			}
		}
		catch (NotConvertible ex) {
			this.losses.add(rule, ex.getMessage());
		}
	}

	// Gateway ANDs a route's predicates; every path test goes into one PathRegex.
	private List<Definition> predicates(List<Test> branch) throws NotConvertible {
		List<Criterion> paths = new ArrayList<>();
		List<Criterion> notPaths = new ArrayList<>();
		List<Definition> others = new ArrayList<>();
		for (Test test : branch) {
			Criterion criterion = test.criterion();
			if (criterion.fetch() == Fetch.PATH) {
				(test.negated() ? notPaths : paths).add(criterion);
			}
			else if (test.negated() && criterion.fetch() == Fetch.HOST) {
				others.add(Definition.of("Header", "header", "Host", "regexp",
						NOT_HOST + criterion.wholeValueRegex() + ")$).*"));
			}
			else if (test.negated()) {
				Line line = criterion.lines().get(0);
				throw new NotConvertible("line " + line.number() + ": a negated " + line.word(2)
						+ " test has no Junction predicate (waits for: negated header/method conditions)");
			}
			else {
				others.add(predicate(criterion));
			}
		}
		List<Definition> predicates = new ArrayList<>();
		if (paths.size() == 1 && notPaths.isEmpty()) {
			predicates.add(Definition.of("PathRegex", "regex", paths.get(0).pathSearchRegex()));
		}
		else if (!paths.isEmpty() || !notPaths.isEmpty()) {
			StringBuilder regex = new StringBuilder("^");
			paths.forEach((path) -> regex.append("(?=").append(path.pathRegexAtStart()).append(')'));
			notPaths.forEach((path) -> regex.append("(?!").append(path.pathRegexAtStart()).append(')'));
			predicates.add(Definition.of("PathRegex", "regex", regex.toString()));
		}
		predicates.addAll(others);
		return predicates;
	}

	private static Definition predicate(Criterion criterion) {
		return switch (criterion.fetch()) {
			// Unsure: HAProxy compares the whole Host value, port included, as the
			// client sent it; over HTTP/2 Netty gives :authority as Host.
			case HOST -> Definition.of("Header", "header", "Host", "regexp", criterion.wholeValueRegex());
			// Written in capitals, the standard methods' names: Gateway compares them
			// case-sensitively, and HAProxy's -i would only add lower-case requests.
			case METHOD -> Definition.list("Method",
					criterion.values().stream().map((method) -> method.toUpperCase(Locale.ROOT)).toList());
			case SOURCE -> Definition.list("RemoteAddr", criterion.values());
			// Unsure: HAProxy matches url_param's raw value, Gateway the decoded one.
			default -> Definition.of("Query", "param", criterion.argument(), "regexp", criterion.wholeValueRegex());
		};
	}

	private void route(Line rule, String backend, List<Definition> predicates, List<Line> sources) {
		PoolConversion pool = this.pools.get(backend);
		if (pool == null) {
			this.losses.add(rule, "no backend named '" + backend + "'");
			return;
		}
		String poolName = pool.pool().name();
		int count = this.routesByPool.merge(poolName, 1, Integer::sum);
		List<String> comments = new ArrayList<>();
		List<Line> lines = new ArrayList<>(sources);
		lines.addAll(this.filterLines);
		lines.addAll(pool.filterLines());
		for (Line line : lines) {
			comments.add("line " + line.number() + ": " + line.text());
		}
		if (predicates.stream().anyMatch((predicate) -> predicate.name().equals("RemoteAddr"))) {
			comments.add("RemoteAddr sees the TCP peer, as src does; behind trusted proxies Junction's client"
					+ " address (X-Forwarded-For) may differ");
		}
		if (predicates.stream()
			.anyMatch((predicate) -> predicate.name().equals("Header")
					&& predicate.args().get("regexp").startsWith(NOT_HOST))) {
			comments.add("A request without Host (HTTP/1.0) matches no Header predicate, where HAProxy's"
					+ " negated hdr(host) holds; HTTP/1.1 requires Host");
		}
		List<Definition> filters = new ArrayList<>(this.filters);
		filters.addAll(pool.filters());
		this.config.routes.add(new Route((count == 1) ? poolName : poolName + "-" + count, poolName, comments,
				predicates.isEmpty() ? List.of(Definition.of("Path", "pattern", "/**")) : predicates, filters));
		this.losses.handled(rule);
	}

}

package io.junction.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.junction.ConfigurationProblem;
import io.junction.NearestName;
import io.junction.proxy.RequestBodyLimit;
import io.junction.ratelimit.RateLimitGatewayFilterFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.support.NameUtils;

/**
 * The rules a route must follow, beyond what Spring Cloud Gateway checks, so that a route
 * it would drop with a log line (or run with an argument it ignores) is refused instead,
 * naming the key: fields, predicates, filters and their arguments that do not exist; an
 * {@code lb://} URI that names no pool; a regex that does not compile. The same rules at
 * start-up, on reload and in {@code check}.
 */
public final class RouteChecks {

	/** Where Gateway 5 reads its routes. */
	public static final String ROUTES = GatewayProperties.PREFIX + ".routes";

	private static final ConfigurationPropertyName ROUTES_NAME = ConfigurationPropertyName.of(ROUTES);

	private static final ConfigurationPropertyName WEBFLUX = ConfigurationPropertyName.of(GatewayProperties.PREFIX);

	private static final ConfigurationPropertyName GATEWAY_4_ROUTES = ConfigurationPropertyName
		.of("spring.cloud.gateway.routes");

	private static final List<String> ROUTE_FIELDS = List.of("id", "uri", "predicates", "filters", "metadata", "order");

	private static final List<String> DEFINITION_FIELDS = List.of("name", "args");

	private static final String PATH_REGEX = "PathRegex";

	private static final String REWRITE_PATH = "RewritePath";

	private static final String RATE_LIMIT = "RateLimit";

	private RouteChecks() {
	}

	/**
	 * Keys of routes that Gateway would ignore: a route field, or a field of a predicate
	 * or filter, that does not exist ({@code predicate:} for {@code predicates:}), and
	 * routes under Gateway 4's prefix, which Gateway 5 no longer reads.
	 */
	public static List<ConfigurationProblem> unknownKeys(Iterable<ConfigurationPropertyName> names) {
		Set<ConfigurationProblem> problems = new LinkedHashSet<>();
		int routeField = ROUTES_NAME.getNumberOfElements() + 1;
		for (ConfigurationPropertyName name : names) {
			if (GATEWAY_4_ROUTES.isAncestorOf(name) || GATEWAY_4_ROUTES.equals(name)) {
				problems.add(new ConfigurationProblem(GATEWAY_4_ROUTES.toString(),
						"Spring Cloud Gateway 5 no longer reads routes here; move them to " + ROUTES));
			}
			else if (WEBFLUX.isParentOf(name.chop(WEBFLUX.getNumberOfElements() + 1)) && !ROUTES_NAME.isAncestorOf(name)
					&& !ROUTES_NAME.equals(name)) {
				String element = name.getElement(WEBFLUX.getNumberOfElements(), Form.UNIFORM);
				if (NearestName.of(element, List.of("routes")) != null) {
					problems.add(new ConfigurationProblem(name.chop(WEBFLUX.getNumberOfElements() + 1).toString(),
							"unknown key; did you mean " + ROUTES + "?"));
				}
			}
			else if (ROUTES_NAME.isAncestorOf(name) && name.getNumberOfElements() > routeField) {
				unknownField(name, routeField, ROUTE_FIELDS, problems);
				String field = name.getElement(routeField, Form.UNIFORM);
				boolean definitions = field.equals("predicates") || field.equals("filters");
				if (definitions && name.getNumberOfElements() > routeField + 2 && name.isNumericIndex(routeField + 1)) {
					unknownField(name, routeField + 2, DEFINITION_FIELDS, problems);
				}
			}
		}
		return List.copyOf(problems);
	}

	private static void unknownField(ConfigurationPropertyName name, int element, List<String> known,
			Set<ConfigurationProblem> problems) {
		String field = name.getElement(element, Form.UNIFORM);
		if (known.contains(field)) {
			return;
		}
		String nearest = NearestName.of(field, known);
		String key = name.chop(element + 1).toString();
		problems.add(new ConfigurationProblem(key, "unknown key; " + ((nearest != null)
				? "did you mean " + name.chop(element) + "." + nearest + "?" : "a route takes " + known)));
	}

	/**
	 * Problems of the {@code routes} as bound, with {@code pools} the names of the
	 * configured pools.
	 */
	public static List<ConfigurationProblem> check(List<RouteDefinition> routes, Collection<String> pools,
			RouteVocabulary vocabulary) {
		List<ConfigurationProblem> problems = new ArrayList<>();
		Map<String, Integer> indexById = new HashMap<>();
		for (int i = 0; i < routes.size(); i++) {
			String key = ROUTES + "[" + i + "]";
			RouteDefinition route = routes.get(i);
			Integer previous = indexById.putIfAbsent(route.getId(), i);
			if (previous != null) {
				problems.add(new ConfigurationProblem(key + ".id",
						"route id '" + route.getId() + "' is used twice (also routes[" + previous + "])"));
			}
			uri(key, route, pools, problems);
			String bodyLimit = RequestBodyLimit.problemOf(route.getMetadata());
			if (bodyLimit != null) {
				problems.add(new ConfigurationProblem(key + ".metadata." + RequestBodyLimit.METADATA_KEY,
						"route '" + route.getId() + "': " + bodyLimit));
			}
			List<PredicateDefinition> predicates = route.getPredicates();
			if (predicates.isEmpty()) {
				// Gateway's own validation would refuse it too, without saying which
				// route.
				problems.add(new ConfigurationProblem(key + ".predicates", "route '" + route.getId()
						+ "' has no predicates; give at least one, such as Path=/services/foo/**"));
			}
			for (int p = 0; p < predicates.size(); p++) {
				PredicateDefinition predicate = predicates.get(p);
				String predicateKey = key + ".predicates[" + p + "]";
				if (known(predicateKey, route, "predicate", predicate.getName(), predicate.getArgs(),
						vocabulary.predicates(), vocabulary.predicateArguments(predicate.getName()), problems)
						&& PATH_REGEX.equals(predicate.getName())) {
					pathRegex(predicateKey, route.getId(), predicate.getArgs(), problems);
				}
			}
			List<FilterDefinition> filters = route.getFilters();
			for (int f = 0; f < filters.size(); f++) {
				FilterDefinition filter = filters.get(f);
				String filterKey = key + ".filters[" + f + "]";
				if (known(filterKey, route, "filter", filter.getName(), filter.getArgs(), vocabulary.filters(),
						vocabulary.filterArguments(filter.getName()), problems)
						&& REWRITE_PATH.equals(filter.getName())) {
					rewritePath(filterKey, route.getId(), filter.getArgs(), problems);
				}
				else if (RATE_LIMIT.equals(filter.getName())) {
					RateLimitGatewayFilterFactory.problems(filter.getArgs())
						.forEach((argument, problem) -> problems
							.add(new ConfigurationProblem(filterKey + ".args." + argument,
									"route '" + route.getId() + "': RateLimit " + problem)));
				}
			}
		}
		return problems;
	}

	private static void uri(String key, RouteDefinition route, Collection<String> pools,
			List<ConfigurationProblem> problems) {
		URI uri = route.getUri();
		if (uri == null) {
			problems.add(new ConfigurationProblem(key + ".uri", "route '" + route.getId()
					+ "' needs a uri: lb://<pool> for a pool of junction.backends, or http://host:port"));
			return;
		}
		if (!"lb".equals(uri.getScheme())) {
			return;
		}
		String pool = uri.getHost();
		if (pool == null) {
			problems.add(new ConfigurationProblem(key + ".uri", "route '" + route.getId() + "': " + uri
					+ " names no valid pool (pool names are host names: letters, digits and '-')"));
		}
		else if (!pools.contains(pool)) {
			problems.add(new ConfigurationProblem(key + ".uri", "route '" + route.getId() + "': " + uri
					+ " names no backend; configured under junction.backends: " + pools));
		}
	}

	/**
	 * Whether the predicate or filter exists; each unknown name or argument is a problem.
	 */
	private static boolean known(String key, RouteDefinition route, String kind, @Nullable String name,
			Map<String, String> args, Set<String> names, @Nullable Set<String> arguments,
			List<ConfigurationProblem> problems) {
		if (name == null || name.isEmpty()) {
			problems.add(new ConfigurationProblem(key, "route '" + route.getId() + "': every " + kind
					+ " needs a name, such as " + (kind.equals("filter") ? "RewritePath" : "Path")));
			return false;
		}
		if (arguments == null) {
			String nearest = NearestName.of(name, names);
			problems.add(new ConfigurationProblem(key + ".name", "route '" + route.getId() + "': no " + kind
					+ " is called '" + name + "'; "
					+ ((nearest != null) ? "did you mean " + nearest + "?" : "known: " + String.join(", ", names))));
			return false;
		}
		boolean known = true;
		for (String argument : args.keySet()) {
			if (argument.startsWith(NameUtils.GENERATED_NAME_PREFIX)) {
				continue;
			}
			String written = head(argument);
			if (!RouteVocabulary.takes(arguments, written)) {
				String nearest = NearestName.of(written, arguments);
				problems.add(new ConfigurationProblem(key + ".args." + written,
						"route '" + route.getId() + "': " + kind + " " + name + " takes no argument '" + written + "'; "
								+ ((nearest != null) ? "did you mean " + nearest + "?"
										: "it takes " + String.join(", ", arguments))));
				known = false;
			}
		}
		return known;
	}

	// A nested argument (backoff.firstBackoff, statuses[0]) is checked by its first part.
	private static String head(String argument) {
		int end = argument.length();
		int dot = argument.indexOf('.');
		int bracket = argument.indexOf('[');
		if (dot >= 0) {
			end = dot;
		}
		if (bracket >= 0 && bracket < end) {
			end = bracket;
		}
		return argument.substring(0, end);
	}

	private static void pathRegex(String key, String routeId, Map<String, String> args,
			List<ConfigurationProblem> problems) {
		String regex = args.getOrDefault(PathRegexRoutePredicateFactory.REGEX_KEY, args.get(NameUtils.generateName(0)));
		if (regex == null || regex.isEmpty()) {
			problems.add(new ConfigurationProblem(key, "route '" + routeId + "': PathRegex needs a regex"));
			return;
		}
		if (args.containsKey(NameUtils.generateName(1))) {
			// The shortcut form splits its argument on ',' and would silently cut the
			// regex.
			problems.add(new ConfigurationProblem(key, "route '" + routeId
					+ "': PathRegex regex contains ','; write it in the long form: {name: PathRegex, args: {regex: '...'}}"));
			return;
		}
		compiles(key, routeId, PATH_REGEX, regex, problems);
	}

	private static void rewritePath(String key, String routeId, Map<String, String> args,
			List<ConfigurationProblem> problems) {
		String regexp = args.getOrDefault("regexp", args.get(NameUtils.generateName(0)));
		if (regexp == null || regexp.isEmpty()) {
			problems.add(new ConfigurationProblem(key, "route '" + routeId + "': RewritePath needs a regexp"));
			return;
		}
		compiles(key, routeId, REWRITE_PATH, regexp, problems);
	}

	private static void compiles(String key, String routeId, String what, String regex,
			List<ConfigurationProblem> problems) {
		try {
			Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			problems.add(new ConfigurationProblem(key, "route '" + routeId + "': " + what + " '" + regex
					+ "' does not compile: " + ex.getDescription() + " near index " + ex.getIndex()));
		}
	}

}

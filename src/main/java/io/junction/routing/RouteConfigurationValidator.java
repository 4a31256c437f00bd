package io.junction.routing;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.junction.InvalidConfigurationException;
import io.junction.pools.PoolRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.support.NameUtils;

/**
 * Checks the configured routes once all beans exist, so that a route Spring Cloud Gateway
 * would only log about (and drop) at its first refresh stops start-up instead, naming the
 * key: an {@code lb://} URI that names no pool, a {@code PathRegex} that does not
 * compile.
 */
final class RouteConfigurationValidator implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(RouteConfigurationValidator.class);

	private static final String ROUTES_KEY = GatewayProperties.PREFIX + ".routes";

	private static final String PATH_REGEX = "PathRegex";

	private final GatewayProperties gateway;

	private final PoolRegistry pools;

	RouteConfigurationValidator(GatewayProperties gateway, PoolRegistry pools) {
		this.gateway = gateway;
		this.pools = pools;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<RouteDefinition> routes = this.gateway.getRoutes();
		if (routes.isEmpty()) {
			logger
				.warn("No routes configured (" + ROUTES_KEY + " is empty): nothing is routed, every request gets 404");
			return;
		}
		for (int i = 0; i < routes.size(); i++) {
			check(ROUTES_KEY + "[" + i + "]", routes.get(i));
		}
		logger.info(routes.size() + " routes configured");
	}

	private void check(String key, RouteDefinition route) {
		URI uri = route.getUri();
		if (uri != null && "lb".equals(uri.getScheme())) {
			String pool = uri.getHost();
			if (pool == null) {
				throw new InvalidConfigurationException(key + ".uri", "route '" + route.getId() + "': " + uri
						+ " names no valid pool (pool names are host names: letters, digits and '-')");
			}
			if (this.pools.current().get(pool) == null) {
				throw new InvalidConfigurationException(key + ".uri", "route '" + route.getId() + "': " + uri
						+ " names no backend; configured under junction.backends: " + this.pools.current().names());
			}
		}
		List<PredicateDefinition> predicates = route.getPredicates();
		for (int p = 0; p < predicates.size(); p++) {
			PredicateDefinition predicate = predicates.get(p);
			if (PATH_REGEX.equals(predicate.getName())) {
				checkPathRegex(key + ".predicates[" + p + "]", route.getId(), predicate.getArgs());
			}
		}
	}

	private static void checkPathRegex(String key, String routeId, Map<String, String> args) {
		String generatedFirst = NameUtils.generateName(0);
		String regex = args.getOrDefault(PathRegexRoutePredicateFactory.REGEX_KEY, args.get(generatedFirst));
		if (regex == null || regex.isEmpty()) {
			throw new InvalidConfigurationException(key, "route '" + routeId + "': PathRegex needs a regex");
		}
		if (args.containsKey(NameUtils.generateName(1))) {
			// The shortcut form splits its argument on ',' and would silently cut the
			// regex.
			throw new InvalidConfigurationException(key, "route '" + routeId
					+ "': PathRegex regex contains ','; write it in the long form: {name: PathRegex, args: {regex: '...'}}");
		}
		try {
			Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new InvalidConfigurationException(key, "route '" + routeId + "': PathRegex '" + regex
					+ "' does not compile: " + ex.getDescription() + " near index " + ex.getIndex());
		}
	}

}

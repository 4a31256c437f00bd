package io.junction.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.junction.ConfigurationProblem;
import io.junction.InvalidConfigurationException;
import io.junction.accesslog.AccessLogProperties;
import io.junction.discovery.DiscoveryProperties;
import io.junction.edge.HttpRedirectProperties;
import io.junction.edge.ProxyProtocolProperties;
import io.junction.framing.RequestLimitsProperties;
import io.junction.ratelimit.RateLimitProperties;
import io.junction.admin.AdminProperties;
import io.junction.lifecycle.ShutdownProperties;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolsProperties;
import io.junction.routing.RouteChecks;
import io.junction.routing.RouteVocabulary;
import io.junction.routing.RoutingProperties;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The one check of a configuration, shared by start-up, reload and the {@code check}
 * command, so that all three refuse the same things with the same messages: keys Junction
 * does not know, values that do not bind, pools and routes that break a rule. It finds
 * every problem, not only the first.
 */
public final class ConfigurationCheck {

	/** Where each of Junction's {@code @ConfigurationProperties} classes is bound. */
	static final Map<Class<?>, String> PROPERTIES = properties();

	private static final ConfigurationPropertyName BACKENDS = ConfigurationPropertyName
		.of(PoolsProperties.PREFIX + ".backends");

	private final KnownKeys knownKeys = KnownKeys.of(PROPERTIES);

	private final RouteVocabulary vocabulary;

	/** A check of routes against the predicates and filters of {@code vocabulary}. */
	public ConfigurationCheck(RouteVocabulary vocabulary) {
		this.vocabulary = vocabulary;
	}

	private static Map<Class<?>, String> properties() {
		Map<Class<?>, String> properties = new LinkedHashMap<>();
		properties.put(PoolsProperties.class, PoolsProperties.PREFIX);
		properties.put(RoutingProperties.class, RoutingProperties.PREFIX);
		properties.put(AccessLogProperties.class, AccessLogProperties.PREFIX);
		properties.put(AdminProperties.class, AdminProperties.PREFIX);
		properties.put(ShutdownProperties.class, ShutdownProperties.PREFIX);
		properties.put(ReloadProperties.class, ReloadProperties.PREFIX);
		properties.put(DiscoveryProperties.class, DiscoveryProperties.PREFIX);
		properties.put(HttpRedirectProperties.class, HttpRedirectProperties.PREFIX);
		properties.put(ProxyProtocolProperties.class, ProxyProtocolProperties.PREFIX);
		properties.put(RequestLimitsProperties.class, RequestLimitsProperties.PREFIX);
		properties.put(RateLimitProperties.class, RateLimitProperties.PREFIX);
		return properties;
	}

	/** Reads and checks the configuration of {@code environment}. */
	public CheckedConfiguration check(ConfigurableEnvironment environment) {
		Set<ConfigurationProblem> problems = new LinkedHashSet<>();
		List<ConfigurationPropertyName> names = names(environment);
		problems.addAll(this.knownKeys.unknown(names));
		problems.addAll(RouteChecks.unknownKeys(names));
		Binder binder = Binder.get(environment);
		PROPERTIES.forEach((type, prefix) -> {
			if (type != PoolsProperties.class) {
				bind(binder, prefix, type, problems);
			}
		});
		Set<String> poolNames = new LinkedHashSet<>();
		PoolsProperties pools = pools(binder, names, poolNames, problems);
		problems.addAll(PoolRegistry.check(pools));
		List<RouteDefinition> routes = routes(binder, problems);
		problems.addAll(RouteChecks.check(routes, poolNames, this.vocabulary));
		return new CheckedConfiguration(pools, routes, List.copyOf(problems));
	}

	// Every name the configuration writes, from every source but the process's
	// environment variables: those hold the whole machine's settings, and a stray
	// JUNCTION_* variable should not stop a gateway.
	private static List<ConfigurationPropertyName> names(ConfigurableEnvironment environment) {
		List<ConfigurationPropertyName> names = new ArrayList<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
					|| StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName())) {
				continue;
			}
			if (ConfigurationPropertySource.from(source) instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream().forEach(names::add);
			}
		}
		return names;
	}

	private static void bind(Binder binder, String prefix, Class<?> type, Set<ConfigurationProblem> problems) {
		try {
			binder.bind(prefix, Bindable.of(type));
		}
		catch (BindException ex) {
			problems.addAll(problems(ex));
		}
	}

	// The pools, binding each on its own when they do not bind together, so that one
	// pool's bad value does not hide another's.
	private static PoolsProperties pools(Binder binder, List<ConfigurationPropertyName> names, Set<String> poolNames,
			Set<ConfigurationProblem> problems) {
		try {
			PoolsProperties pools = binder.bindOrCreate(PoolsProperties.PREFIX, PoolsProperties.class);
			poolNames.addAll(pools.getBackends().keySet());
			return pools;
		}
		catch (BindException ex) {
			Map<String, PoolsProperties.Pool> bound = new LinkedHashMap<>();
			for (ConfigurationPropertyName name : names) {
				if (BACKENDS.isAncestorOf(name)) {
					String pool = name.getElement(BACKENDS.getNumberOfElements(), Form.ORIGINAL);
					if (poolNames.add(pool)) {
						bindPool(binder, pool, bound, problems);
					}
				}
			}
			PoolsProperties pools = new PoolsProperties();
			pools.setBackends(bound);
			return pools;
		}
	}

	private static void bindPool(Binder binder, String pool, Map<String, PoolsProperties.Pool> bound,
			Set<ConfigurationProblem> problems) {
		ConfigurationPropertyName name = BACKENDS.append(pool);
		try {
			bound.put(pool, binder.bindOrCreate(name, Bindable.of(PoolsProperties.Pool.class), null));
		}
		catch (BindException ex) {
			problems.addAll(problems(ex));
		}
	}

	private static List<RouteDefinition> routes(Binder binder, Set<ConfigurationProblem> problems) {
		try {
			return binder.bind(RouteChecks.ROUTES, Bindable.listOf(RouteDefinition.class)).orElse(List.of());
		}
		catch (BindException ex) {
			problems.addAll(problems(ex));
			return List.of();
		}
	}

	/**
	 * What a failed binding says, naming the key: the refusal of a setter that checks its
	 * value, or the value that could not be converted and to what.
	 */
	static List<ConfigurationProblem> problems(BindException failure) {
		BindException deepest = failure;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidConfigurationException refusal) {
				return refusal.getProblems();
			}
			if (cause instanceof BindException bind) {
				deepest = bind;
			}
		}
		ConfigurationProperty property = deepest.getProperty();
		String key = (property != null) ? property.getName().toString() : deepest.getName().toString();
		Class<?> type = deepest.getTarget().getType().toClass();
		String value = (property != null) ? "'" + property.getValue() + "'" : "the value";
		return List.of(new ConfigurationProblem(key, value + " " + expected(type)));
	}

	private static String expected(Class<?> type) {
		if (type.isEnum()) {
			List<String> constants = new ArrayList<>();
			for (Object constant : type.getEnumConstants()) {
				constants.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'));
			}
			return "is not one of " + String.join(", ", constants);
		}
		String name = type.getSimpleName();
		return "cannot be read as " + switch (name) {
			case "Duration" -> "a duration, such as 500ms, 2s or 1m";
			case "DataSize" -> "a size, such as 64KB or 1MB";
			case "int", "Integer", "long", "Long" -> "a whole number";
			case "boolean", "Boolean" -> "true or false";
			default -> name;
		};
	}

}

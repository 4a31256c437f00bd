package io.junction.routing;

import java.beans.PropertyDescriptor;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.junction.NearestName;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
import org.springframework.cloud.gateway.handler.predicate.RoutePredicateFactory;
import org.springframework.cloud.gateway.support.NameUtils;
import org.springframework.core.ResolvableType;

/**
 * The predicate and filter names a route may use, and the arguments each takes: what the
 * application's predicate and filter factories define. Read from their bean definitions,
 * without creating them, so that configuration can be checked before anything starts.
 */
public final class RouteVocabulary {

	private final Map<String, Set<String>> predicates;

	private final Map<String, Set<String>> filters;

	private RouteVocabulary(Map<String, Set<String>> predicates, Map<String, Set<String>> filters) {
		this.predicates = predicates;
		this.filters = filters;
	}

	/** The predicates and filters that {@code beans} define (or will create). */
	public static RouteVocabulary of(ListableBeanFactory beans) {
		return new RouteVocabulary(factories(beans, RoutePredicateFactory.class),
				factories(beans, GatewayFilterFactory.class));
	}

	private static Map<String, Set<String>> factories(ListableBeanFactory beans, Class<?> factoryType) {
		Map<String, Set<String>> byName = new TreeMap<>();
		for (String bean : beans.getBeanNamesForType(factoryType, true, false)) {
			Class<?> type = beans.getType(bean, false);
			if (type == null) {
				continue;
			}
			// Gateway derives a factory's name from its class, as here.
			String name = (factoryType == RoutePredicateFactory.class)
					? NameUtils.normalizeRoutePredicateName(type.asSubclass(RoutePredicateFactory.class))
					: NameUtils.normalizeFilterFactoryName(type.asSubclass(GatewayFilterFactory.class));
			Class<?> config = ResolvableType.forClass(type).as(factoryType).resolveGeneric(0);
			byName.put(name, arguments(config));
		}
		return Collections.unmodifiableMap(byName);
	}

	// The arguments a factory's Config takes: its writable properties, compared as
	// relaxed binding compares them (case and dashes ignored).
	private static Set<String> arguments(@Nullable Class<?> config) {
		Set<String> arguments = new LinkedHashSet<>();
		if (config == null || config == Object.class) {
			return arguments;
		}
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(config)) {
			if (property.getWriteMethod() != null || isNested(property)) {
				arguments.add(property.getName());
			}
		}
		return arguments;
	}

	private static boolean isNested(PropertyDescriptor property) {
		Class<?> type = property.getPropertyType();
		return property.getReadMethod() != null && type != null && type != Class.class
				&& !BeanUtils.isSimpleProperty(type);
	}

	/** Every predicate name, sorted. */
	public Set<String> predicates() {
		return this.predicates.keySet();
	}

	/** Every filter name, sorted. */
	public Set<String> filters() {
		return this.filters.keySet();
	}

	/**
	 * The arguments of predicate {@code name}, or null when there is no such predicate.
	 */
	@Nullable Set<String> predicateArguments(String name) {
		return this.predicates.get(name);
	}

	/** The arguments of filter {@code name}, or null when there is no such filter. */
	@Nullable Set<String> filterArguments(String name) {
		return this.filters.get(name);
	}

	/** Whether {@code argument} is among {@code arguments}, ignoring case and dashes. */
	static boolean takes(Set<String> arguments, String argument) {
		for (String known : arguments) {
			if (NearestName.same(known, argument)) {
				return true;
			}
		}
		return false;
	}

}

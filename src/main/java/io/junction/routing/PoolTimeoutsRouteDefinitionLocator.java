package io.junction.routing;

import java.util.LinkedHashMap;
import java.util.Map;

import io.junction.pools.BackendPools;
import io.junction.pools.Pool;
import reactor.core.publisher.Flux;

import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.config.PropertiesRouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteDefinition;

/**
 * The routes of {@code spring.cloud.gateway.server.webflux.routes}, each given its pool's
 * {@code connect-timeout} and {@code response-timeout} as route metadata, where Spring
 * Cloud Gateway reads them, unless the route sets its own.
 */
final class PoolTimeoutsRouteDefinitionLocator extends PropertiesRouteDefinitionLocator {

	static final String CONNECT_TIMEOUT = "connect-timeout";

	static final String RESPONSE_TIMEOUT = "response-timeout";

	private final BackendPools pools;

	PoolTimeoutsRouteDefinitionLocator(GatewayProperties properties, BackendPools pools) {
		super(properties);
		this.pools = pools;
	}

	@Override
	public Flux<RouteDefinition> getRouteDefinitions() {
		return super.getRouteDefinitions().map(this::withPoolTimeouts);
	}

	private RouteDefinition withPoolTimeouts(RouteDefinition route) {
		if (route.getUri() == null || !"lb".equals(route.getUri().getScheme()) || route.getUri().getHost() == null) {
			return route;
		}
		Pool pool = this.pools.get(route.getUri().getHost());
		if (pool == null) {
			return route;
		}
		RouteDefinition copy = new RouteDefinition();
		copy.setId(route.getId());
		copy.setUri(route.getUri());
		copy.setOrder(route.getOrder());
		copy.setEnabled(route.isEnabled());
		copy.setPredicates(route.getPredicates());
		copy.setFilters(route.getFilters());
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put(CONNECT_TIMEOUT, (int) pool.connectTimeout().toMillis());
		metadata.put(RESPONSE_TIMEOUT, pool.responseTimeout().toMillis());
		metadata.putAll(route.getMetadata());
		copy.setMetadata(metadata);
		return copy;
	}

}

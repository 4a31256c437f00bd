package io.junction.routing;

import java.util.List;

import io.junction.observability.JunctionMeters;
import io.junction.observability.RefusedRequests;
import io.junction.proxy.ProxyHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.netty.http.client.HttpClient;
import io.junction.pools.PoolsAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.annotation.Order;

/**
 * Junction's routing on top of Spring Cloud Gateway: the {@code PathRegex} predicate,
 * HAProxy's header behaviour, readable errors.
 */
@AutoConfiguration(after = PoolsAutoConfiguration.class, before = GatewayAutoConfiguration.class)
@EnableConfigurationProperties(RoutingProperties.class)
public class RoutingAutoConfiguration {

	@Bean
	PathRegexRoutePredicateFactory pathRegexRoutePredicateFactory() {
		return new PathRegexRoutePredicateFactory();
	}

	// In place of Gateway's RewritePath, turned off in application.yml
	// (filter.rewrite-path.enabled: false): same name and configuration, no copy of the
	// request's headers.
	@Bean
	RewritePathGatewayFilterFactory rewritePathGatewayFilterFactory() {
		return new RewritePathGatewayFilterFactory();
	}

	// One policy for paths (README, "Paths"), before any route is looked up.
	@Bean
	SafePathFilter safePathFilter(RefusedRequests refusals) {
		return new SafePathFilter(refusals);
	}

	// Replaces Gateway's linear route lookup (it backs off when a mapping exists). It
	// also counts the requests no route matches: WebFlux's own per-request Observation,
	// the only other count of them, is off (application.yml) for what it cost.
	@Bean
	IndexedRoutePredicateHandlerMapping indexedRoutePredicateHandlerMapping(FilteringWebHandler webHandler,
			RouteLocator routeLocator, RouteDefinitionLocator definitionLocator, GlobalCorsProperties cors,
			Environment environment, ObjectProvider<MeterRegistry> meterRegistry) {
		MeterRegistry registry = meterRegistry.getIfAvailable();
		Runnable unrouted = () -> {
		};
		if (registry != null) {
			unrouted = Counter.builder(JunctionMeters.UNROUTED_REQUESTS.meterName())
				.description(JunctionMeters.UNROUTED_REQUESTS.description())
				.register(registry)::increment;
		}
		return new IndexedRoutePredicateHandlerMapping(webHandler, routeLocator, definitionLocator, cors, environment,
				unrouted);
	}

	// Replaces Gateway's routing filter and its companion that writes the response, both
	// turned off in application.yml (global-filter.netty-routing.enabled: false), for
	// routes to a plain URL; routes to a pool have Junction's pipeline
	// (io.junction.proxy).
	@Bean
	ProxyRoutingFilter proxyRoutingFilter(HttpClient httpClient, HttpClientProperties properties,
			RoutingProperties routing, ProxyHeaders headers) {
		return new ProxyRoutingFilter(httpClient, properties, routing, headers);
	}

	@Bean
	NettyWriteResponseFilter proxyWriteResponseFilter(GatewayProperties gateway) {
		return new NettyWriteResponseFilter(gateway.getStreamingMediaTypes(), ProxyRoutingFilter.provider(List.of()));
	}

	// Ahead of Spring Boot's handler (order -1), which would render a JSON or HTML page.
	@Bean
	@Order(-2)
	RoutingErrorWebExceptionHandler routingErrorWebExceptionHandler() {
		return new RoutingErrorWebExceptionHandler();
	}

}

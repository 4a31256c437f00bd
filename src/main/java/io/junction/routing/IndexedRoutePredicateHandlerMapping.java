package io.junction.routing;

import java.util.HashSet;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.web.server.ServerWebExchange;

/**
 * Gateway's route lookup, with the routes tested in order but only those that can match
 * the request's path ({@link RouteIndex}), so that lookup does not grow with the number
 * of routes. The index is rebuilt whenever Gateway refreshes its routes; until the first
 * one, and for paths with percent-encoding (which {@code Path} matches decoded), lookup
 * is Gateway's own linear scan.
 */
final class IndexedRoutePredicateHandlerMapping extends RoutePredicateHandlerMapping
		implements ApplicationListener<RefreshRoutesResultEvent> {

	private final RouteLocator routeLocator;

	private final RouteDefinitionLocator definitionLocator;

	private final Runnable unrouted;

	private volatile @Nullable RouteIndex index;

	/**
	 * @param unrouted told of each request on the traffic port that no route matches
	 */
	IndexedRoutePredicateHandlerMapping(FilteringWebHandler webHandler, RouteLocator routeLocator,
			RouteDefinitionLocator definitionLocator, GlobalCorsProperties globalCorsProperties,
			Environment environment, Runnable unrouted) {
		super(webHandler, routeLocator, globalCorsProperties, environment);
		this.routeLocator = routeLocator;
		this.definitionLocator = definitionLocator;
		this.unrouted = unrouted;
	}

	@Override
	public void onApplicationEvent(RefreshRoutesResultEvent event) {
		if (event.isSuccess()) {
			Mono.zip(this.routeLocator.getRoutes().collectList(),
					this.definitionLocator.getRouteDefinitions().map(RouteDefinition::getId).collectList())
				.subscribe((routesAndIds) -> this.index = RouteIndex.of(routesAndIds.getT1(),
						new HashSet<>(routesAndIds.getT2())));
		}
	}

	@Override
	protected Mono<Route> lookupRoute(ServerWebExchange exchange) {
		RouteIndex current = this.index;
		String path = exchange.getRequest().getPath().value();
		if (current == null || path.indexOf('%') >= 0 || path.indexOf(';') >= 0) {
			return super.lookupRoute(exchange).switchIfEmpty(Mono.fromRunnable(this.unrouted));
		}
		return firstMatch(current.candidates(path), exchange);
	}

	/** Gateway's own lookup over every route, kept for paths the index cannot serve. */
	Mono<Route> lookupRouteLinearly(ServerWebExchange exchange) {
		return super.lookupRoute(exchange);
	}

	@Nullable RouteIndex index() {
		return this.index;
	}

	/**
	 * The first of {@code candidates} whose predicate matches, in order. A predicate of
	 * one condition (a single {@code Path} or {@code PathRegex}, as most routes have)
	 * answers with a scalar Mono, whose value is read here at once; Gateway's reactive
	 * {@code filterWhen} around every predicate cost a tenth of the CPU of a request. A
	 * predicate that answers later (several conditions joined) is waited for as Gateway
	 * does, and the search goes on after it.
	 */
	private Mono<Route> firstMatch(List<Route> candidates, ServerWebExchange exchange) {
		for (int i = 0; i < candidates.size(); i++) {
			Route route = candidates.get(i);
			exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_PREDICATE_ROUTE_ATTR, route.getId());
			Publisher<Boolean> answer;
			try {
				answer = route.getPredicate().apply(exchange);
				if (answer instanceof Fuseable.ScalarCallable<?> scalar) {
					if (Boolean.TRUE.equals(scalar.call())) {
						validateRoute(route, exchange);
						return Mono.just(route);
					}
					continue;
				}
			}
			catch (Exception ex) {
				logger.error("Error applying predicate for route: " + route.getId(), ex);
				continue;
			}
			List<Route> rest = candidates.subList(i + 1, candidates.size());
			return Mono.from(answer).defaultIfEmpty(false).onErrorResume((ex) -> {
				logger.error("Error applying predicate for route: " + route.getId(), ex);
				return Mono.just(false);
			}).flatMap((matched) -> {
				if (matched) {
					validateRoute(route, exchange);
					return Mono.just(route);
				}
				return firstMatch(rest, exchange);
			});
		}
		this.unrouted.run();
		return Mono.empty();
	}

}

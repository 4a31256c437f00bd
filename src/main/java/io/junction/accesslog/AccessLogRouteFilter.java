package io.junction.accesslog;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * First of a route's filters: notes the time the route was chosen and the route, keeps
 * the error that ended the request, before Junction's error handler turns it into a
 * status, and where its tries on a pool will be found.
 */
final class AccessLogRouteFilter implements GlobalFilter, Ordered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return Mono.deferContextual((context) -> {
			AccessLogEntry entry = AccessLogEntry.of(context);
			if (entry == null) {
				return chain.filter(exchange);
			}
			entry.routed(System.nanoTime(), exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR),
					exchange.getAttributes());
			return chain.filter(exchange).doOnError(entry::failed);
		});
	}

}

package io.junction.routing;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Passes the client's Host header to the app server on every route, as HAProxy does;
 * without it Spring Cloud Gateway sends the server's own address as Host.
 */
final class PreserveHostFilter implements GlobalFilter, Ordered {

	@Override
	public int getOrder() {
		return NettyRoutingFilter.ORDER - 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		exchange.getAttributes().put(ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE, Boolean.TRUE);
		return chain.filter(exchange);
	}

}

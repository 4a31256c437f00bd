package io.junction.accesslog;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Runs once per attempt, right after the load balancer chose a server: Junction's retry
 * filter runs the chain from the load balancer on again for each retry, so the attempts
 * counted here are the first try plus its retries.
 */
final class AccessLogAttemptFilter implements GlobalFilter, Ordered {

	@Override
	public int getOrder() {
		return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		AccessLogEntry entry = exchange.getAttribute(AccessLogEntry.ATTRIBUTE);
		if (entry != null) {
			Response<ServiceInstance> chosen = exchange
				.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
			entry.attempt(System.nanoTime(), (chosen != null) ? chosen.getServer() : null,
					exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR));
		}
		return chain.filter(exchange);
	}

}

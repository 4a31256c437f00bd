package io.junction.pools;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Sends a request for {@code lb://<pool>} to the server its pool's load balancer chooses,
 * in place of Gateway's {@link ReactiveLoadBalancerClientFilter} (turned off in
 * application.yml). Gateway's looks the balancer, its lifecycle beans and its properties
 * up in the pool's child context on every request, and copies the request's cookies and
 * headers for them; Junction's pools have no lifecycle beans, and this filter finds each
 * pool's balancer once.
 */
final class PoolLoadBalancerFilter implements GlobalFilter, Ordered {

	private final LoadBalancerClientFactory clientFactory;

	private final Map<String, ReactorServiceInstanceLoadBalancer> balancers = new ConcurrentHashMap<>();

	PoolLoadBalancerFilter(LoadBalancerClientFactory clientFactory) {
		this.clientFactory = clientFactory;
	}

	@Override
	public int getOrder() {
		return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
		if (url == null || !"lb".equals(url.getScheme()) || url.getHost() == null) {
			return chain.filter(exchange);
		}
		ServerWebExchangeUtils.addOriginalRequestUrl(exchange, url);
		String pool = url.getHost();
		ServerHttpRequest request = exchange.getRequest();
		// The balancer reads the exchange's attributes (the servers that already failed
		// this request); no cookies, as it does not use them.
		Request<RequestDataContext> balanced = new DefaultRequest<>(new RequestDataContext(new RequestData(
				request.getMethod(), request.getURI(), request.getHeaders(), null, exchange.getAttributes())));
		return balancer(pool).choose(balanced).flatMap((response) -> {
			if (!(response.getServer() instanceof PoolServer server)) {
				return Mono.error(NotFoundException.create(false, "Unable to find instance for " + pool));
			}
			// In flight on the server until PoolRetryFilter gives up on this attempt, or
			// the exchange ends (RouteMetricsFilter): both find it in the attribute
			// below.
			server.traffic().started();
			exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, urlOn(server, request));
			exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR, response);
			return chain.filter(exchange);
		});
	}

	private ReactorServiceInstanceLoadBalancer balancer(String pool) {
		ReactorServiceInstanceLoadBalancer balancer = this.balancers.get(pool);
		if (balancer == null) {
			balancer = this.balancers.computeIfAbsent(pool,
					(name) -> this.clientFactory.getInstance(name, ReactorServiceInstanceLoadBalancer.class));
		}
		return balancer;
	}

	// The request's path (as rewritten by the route's filters) and query, encoded as
	// received, on the server's scheme, host and port.
	private static URI urlOn(PoolServer server, ServerHttpRequest request) {
		URI uri = request.getURI();
		String path = uri.getRawPath();
		String query = uri.getRawQuery();
		StringBuilder url = new StringBuilder(server.origin());
		url.append((path == null || path.isEmpty()) ? "/" : path);
		if (query != null) {
			url.append('?').append(query);
		}
		return URI.create(url.toString());
	}

}

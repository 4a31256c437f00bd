package io.junction.routing;

import io.junction.observability.RefusedRequests;
import io.junction.proxy.ClientAddress;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Holds every request on the traffic port to {@link SafePaths} before a route is looked
 * up, over HTTP/1.x and HTTP/2 alike: a refused path is answered 400 with its reason (and
 * counted and logged as {@link RefusedRequests}), a path with empty segments is routed,
 * and sent on, with them merged.
 */
final class SafePathFilter implements WebFilter, Ordered {

	private final RefusedRequests refusals;

	SafePathFilter(RefusedRequests refusals) {
		this.refusals = refusals;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String path = request.getURI().getRawPath();
		if (path == null) {
			return chain.filter(exchange);
		}
		String checked;
		try {
			checked = SafePaths.checked(path);
		}
		catch (SafePaths.UnsafePathException ex) {
			this.refusals.refused(400, String.valueOf(ex.getReason()), ClientAddress.of(request));
			return Mono.error(ex);
		}
		if (checked == path) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().request(new RequestAtPath(request, checked)).build());
	}

	@Override
	public int getOrder() {
		// Before anything reads the path.
		return Ordered.HIGHEST_PRECEDENCE;
	}

}

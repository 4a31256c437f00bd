package io.junction.proxy;

import java.net.URI;
import java.util.List;
import java.util.function.LongSupplier;

import io.junction.pools.ServerObserver;
import io.junction.pools.ServerProtocol;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Junction's request pipeline for routes to a pool ({@code uri: lb://<pool>}), in one
 * Gateway filter after the route's own filters: looks the pool up once, then for each try
 * lets the pool's balancer choose among the candidates, sends the request with the pool's
 * HTTP client, retries as the pool's retry policy allows, and writes the response. Every
 * try is one {@link Attempt}; the request's tries are one {@link Forwarding}, left in the
 * exchange for the access log. Routes to plain URLs pass through to Gateway's routing.
 */
final class PoolProxyFilter implements GlobalFilter, Ordered {

	private final Upstreams upstreams;

	private final ServerObserver observer;

	private final ProxyHeaders headers;

	private final boolean preserveHost;

	private final List<MediaType> streamingMediaTypes;

	private final LongSupplier nanoClock;

	private final WebSocketSessions webSockets;

	PoolProxyFilter(Upstreams upstreams, ServerObserver observer, ProxyHeaders headers, boolean preserveHost,
			List<MediaType> streamingMediaTypes, LongSupplier nanoClock, WebSocketSessions webSockets) {
		this.webSockets = webSockets;
		this.upstreams = upstreams;
		this.observer = observer;
		this.headers = headers;
		this.preserveHost = preserveHost;
		this.streamingMediaTypes = List.copyOf(streamingMediaTypes);
		this.nanoClock = nanoClock;
	}

	@Override
	public int getOrder() {
		// After the route's own filters, before Gateway resolves the route's URL (which
		// builds a URI that a pool route does not need).
		return RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER - 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		URI uri = (route != null) ? route.getUri() : null;
		if (route == null || uri == null || !"lb".equals(uri.getScheme()) || uri.getHost() == null
				|| ServerWebExchangeUtils.isAlreadyRouted(exchange)) {
			return chain.filter(exchange);
		}
		ResponseStatusException grpcRefusal = Grpc.refusalOf(exchange.getRequest());
		if (grpcRefusal != null) {
			if ("http".equals(exchange.getRequest().getURI().getScheme())) {
				// Over TLS, ALPN is how a client gets HTTP/2.
				exchange.getResponse().getHeaders().set(HttpHeaders.UPGRADE, "h2c");
			}
			return Mono.error(grpcRefusal);
		}
		boolean webSocket = WebSocketTunnel.isUpgrade(exchange.getRequest());
		if (webSocket) {
			ResponseStatusException refusal = WebSocketTunnel.refusalOf(exchange.getRequest());
			if (refusal != null) {
				return Mono.error(refusal);
			}
		}
		String poolName = uri.getHost();
		Upstreams.Upstream upstream = this.upstreams.get(poolName);
		if (upstream == null) {
			// The route names a pool that a later configuration removed.
			return Mono.error(new UpstreamException(UpstreamFailure.NO_SERVER, poolName, null));
		}
		if (webSocket && upstream.pool().protocol() != ServerProtocol.HTTP1) {
			return Mono.error(new ResponseStatusException(HttpStatus.NOT_IMPLEMENTED,
					"WebSocket goes to http1 pools only; pool " + poolName + " speaks " + upstream.pool().protocol()));
		}
		ServerWebExchangeUtils.setAlreadyRouted(exchange);
		boolean preserveHost = this.preserveHost
				|| Boolean.TRUE.equals(exchange.getAttribute(ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE));
		Forwarding forwarding = new Forwarding(exchange, route, upstream, this.observer, this.headers, preserveHost,
				this.streamingMediaTypes, this.nanoClock, webSocket ? this.webSockets : null);
		exchange.getAttributes().put(Forwarding.ATTRIBUTE, forwarding);
		return forwarding.run();
	}

}

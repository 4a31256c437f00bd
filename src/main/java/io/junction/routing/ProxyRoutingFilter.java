package io.junction.routing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter.Type;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * Gateway's routing filter (the one that sends the request to the server), made lean for
 * Junction: it applies only Junction's {@link ProxyHeadersFilter}, keeps the Host header
 * when {@code junction.routing.preserve-host} is on without a filter of its own, and
 * configures its HTTP client once per connect timeout instead of on every request.
 */
final class ProxyRoutingFilter extends NettyRoutingFilter {

	private final boolean preserveHost;

	private final HttpClientProperties properties;

	// Keyed by the route's connect-timeout metadata as configured, or by the properties
	// object for routes without one: a handful of entries at most.
	private final Map<Object, HttpClient> clientsByConnectTimeout = new ConcurrentHashMap<>();

	ProxyRoutingFilter(HttpClient httpClient, HttpClientProperties properties, RoutingProperties routing) {
		super(httpClient, headersFilters(routing), properties);
		this.preserveHost = routing.isPreserveHost();
		this.properties = properties;
	}

	private static ObjectProvider<List<HttpHeadersFilter>> headersFilters(RoutingProperties routing) {
		return provider(List.of(new ProxyHeadersFilter(Type.REQUEST, routing.getTrustedProxies()),
				new ProxyHeadersFilter(Type.RESPONSE, routing.getTrustedProxies())));
	}

	/** Gives Gateway's filters, which look their collaborators up, a fixed value. */
	static <T> ObjectProvider<T> provider(T value) {
		return new ObjectProvider<>() {

			@Override
			public T getObject() {
				return value;
			}

			@Override
			public T getIfAvailable() {
				return value;
			}

		};
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (this.preserveHost) {
			exchange.getAttributes().put(ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE, Boolean.TRUE);
		}
		// Reactor Netty's client asks its subscriber for the Reactor context on each
		// state
		// change of the connection, and each ask walks the operator chain down to the
		// HTTP
		// server: about a hundred operators through Gateway's filters (10 % of the CPU in
		// the profile). contextWrite takes the context once, at subscription, and answers
		// every later ask itself. The context cannot change after subscription anyway.
		return super.filter(exchange, chain).contextWrite(Function.identity());
	}

	@Override
	protected HttpClient getHttpClient(Route route, ServerWebExchange exchange) {
		Object connectTimeout = route.getMetadata().get(RouteMetadataUtils.CONNECT_TIMEOUT_ATTR);
		Object key = (connectTimeout != null) ? connectTimeout : this.properties;
		HttpClient client = this.clientsByConnectTimeout.get(key);
		if (client == null) {
			client = this.clientsByConnectTimeout.computeIfAbsent(key, (k) -> super.getHttpClient(route, exchange));
		}
		return client;
	}

}

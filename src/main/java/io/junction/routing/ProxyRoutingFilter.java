package io.junction.routing;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpMethod;
import io.junction.proxy.ProxyHeaders;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Sends a request for a route to a plain URL (not a pool) and hands the response to
 * Gateway's response writer: Junction's routing filter in place of Gateway's
 * ({@code global-filter.netty-routing.enabled: false}), in the same place in the chain
 * and with the same exchange attributes for the filters around it. It writes the headers
 * straight into Netty's request and response ({@link ProxyHeaders}), sends no body when
 * the request has none, and configures its HTTP client once per connect timeout;
 * Gateway's filter copied the headers twice each way and reconfigured its client on every
 * request.
 */
final class ProxyRoutingFilter implements GlobalFilter, Ordered {

	private final HttpClient httpClient;

	private final ProxyHeaders headers;

	private final boolean preserveHost;

	private final @Nullable Duration defaultResponseTimeout;

	// Keyed by the route's connect-timeout metadata as configured: a handful at most.
	private final Map<Object, HttpClient> clientsByConnectTimeout = new ConcurrentHashMap<>();

	ProxyRoutingFilter(HttpClient httpClient, HttpClientProperties properties, RoutingProperties routing,
			ProxyHeaders headers) {
		this.httpClient = httpClient;
		this.headers = headers;
		this.preserveHost = routing.isPreserveHost();
		this.defaultResponseTimeout = properties.getResponseTimeout();
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
	public int getOrder() {
		return NettyRoutingFilter.ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getRequiredAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
		String scheme = url.getScheme();
		if (ServerWebExchangeUtils.isAlreadyRouted(exchange) || (!"http".equals(scheme) && !"https".equals(scheme))) {
			return chain.filter(exchange);
		}
		ServerWebExchangeUtils.setAlreadyRouted(exchange);
		Route route = exchange.getRequiredAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		ServerHttpRequest request = exchange.getRequest();
		boolean preserveHost = this.preserveHost
				|| Boolean.TRUE.equals(exchange.getAttribute(ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE));
		boolean hasBody = hasBody(request.getHeaders());
		Flux<HttpClientResponse> responses = client(route).request(HttpMethod.valueOf(request.getMethod().name()))
			.uri(url)
			.send((sent, outbound) -> {
				io.netty.handler.codec.http.HttpHeaders sentHeaders = sent.requestHeaders();
				this.headers.toServer(request, sentHeaders);
				// Reactor Netty names the server in Host, unless the route keeps the
				// client's.
				if (preserveHost) {
					String clientHost = request.getHeaders().getFirst(HttpHeaders.HOST);
					if (clientHost != null) {
						sentHeaders.set(HttpHeaders.HOST, clientHost);
					}
				}
				return hasBody ? outbound.send(request.getBody().map(NettyDataBufferFactory::toByteBuf)) : outbound;
			})
			.responseConnection((received, connection) -> {
				exchange.getAttributes().put(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR, received);
				exchange.getAttributes().put(ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR, connection);
				passOn(received, exchange);
				return Mono.just(received);
			});
		Duration timeout = responseTimeout(route);
		if (timeout != null) {
			responses = responses
				.timeout(timeout,
						Mono.error(() -> new TimeoutException("Response took longer than timeout: " + timeout)))
				.onErrorMap(TimeoutException.class,
						(ex) -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage(), ex));
		}
		return responses.then(chain.filter(exchange));
	}

	/** Status and headers of the server's response, onto the client's. */
	private void passOn(HttpClientResponse received, ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		io.netty.handler.codec.http.HttpHeaders receivedHeaders = received.responseHeaders();
		String contentType = receivedHeaders.get(HttpHeaders.CONTENT_TYPE);
		if (contentType != null && !contentType.isEmpty()) {
			// Gateway's response writer flushes streaming media types as they come.
			exchange.getAttributes().put(ServerWebExchangeUtils.ORIGINAL_RESPONSE_CONTENT_TYPE_ATTR, contentType);
		}
		response.setStatusCode(HttpStatusCode.valueOf(received.status().code()));
		HttpHeaders sent = response.getHeaders();
		if (receivedHeaders.contains(HttpHeaders.CONTENT_LENGTH)) {
			sent.remove(HttpHeaders.TRANSFER_ENCODING);
		}
		this.headers.toClient(receivedHeaders, sent);
	}

	/** A request has a body when it says how long it is or that it comes in chunks. */
	private static boolean hasBody(HttpHeaders headers) {
		return headers.getContentLength() >= 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
	}

	private HttpClient client(Route route) {
		Object connectTimeout = route.getMetadata().get(RouteMetadataUtils.CONNECT_TIMEOUT_ATTR);
		if (connectTimeout == null) {
			return this.httpClient;
		}
		HttpClient client = this.clientsByConnectTimeout.get(connectTimeout);
		if (client == null) {
			client = this.clientsByConnectTimeout.computeIfAbsent(connectTimeout, (timeout) -> this.httpClient
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(millis(timeout))));
		}
		return client;
	}

	/** The route's response timeout; a negative one in its metadata means none. */
	private @Nullable Duration responseTimeout(Route route) {
		Object configured = route.getMetadata().get(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR);
		if (configured == null) {
			return this.defaultResponseTimeout;
		}
		long millis = millis(configured);
		return (millis >= 0) ? Duration.ofMillis(millis) : null;
	}

	private static long millis(Object metadata) {
		return (metadata instanceof Number number) ? number.longValue() : Long.parseLong(metadata.toString().trim());
	}

}

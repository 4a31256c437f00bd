package io.junction.pools;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Set;

import io.netty.channel.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * HAProxy's {@code retries}, {@code retry-on} and {@code option redispatch} for requests
 * to a pool. Wraps the load balancer and the send to the chosen server; when an attempt
 * fails, tells the passive checks, and when the pool's {@link RetryPolicy} allows it,
 * tries again on a server that has not failed this request yet.
 *
 * <p>
 * A connection that could not be opened carried nothing, so it is retried whatever the
 * method. A request that was sent is retried only when its method is idempotent and its
 * body can be sent again; and never once the response has started reaching the client.
 */
final class PoolRetryFilter implements GlobalFilter, org.springframework.core.Ordered {

	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.PUT, HttpMethod.DELETE);

	private static final Object ANSWERED = new Object();

	private final BackendPools pools;

	private final ServerObserver observer;

	PoolRetryFilter(BackendPools pools, ServerObserver observer) {
		this.pools = pools;
		this.observer = observer;
	}

	@Override
	public int getOrder() {
		// Just before the load balancer, so that every attempt chooses a server anew.
		return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		URI url = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
		Pool pool = (url != null && "lb".equals(url.getScheme()) && url.getHost() != null)
				? this.pools.get(url.getHost()) : null;
		if (pool == null) {
			return chain.filter(exchange);
		}
		ServerHttpRequest request = exchange.getRequest();
		boolean idempotent = IDEMPOTENT.contains(request.getMethod());
		ReplayableBodyRequest replayable = null;
		ServerWebExchange attemptExchange = exchange;
		if (idempotent && pool.retry().retries() > 0 && hasBody(request.getHeaders())) {
			replayable = new ReplayableBodyRequest(request, pool.retry().bufferBytes(),
					exchange.getResponse().bufferFactory());
			attemptExchange = exchange.mutate().request(replayable).build();
		}
		FailedServers failed = new FailedServers();
		exchange.getAttributes().put(FailedServers.ATTRIBUTE, failed);
		Attempts attempts = new Attempts(attemptExchange, chain, pool, url, idempotent, replayable, failed);
		if (replayable != null && replayable.fitsWhole()) {
			return replayable.readAll().then(Mono.defer(() -> attempt(attempts)));
		}
		return attempt(attempts);
	}

	private Mono<Void> attempt(Attempts attempts) {
		attempts.startedNanos = System.nanoTime();
		return attempts.chain.filter(attempts.exchange)
			.then(Mono.just(ANSWERED))
			.onErrorResume(Mono::just)
			.flatMap((outcome) -> (outcome instanceof Throwable error) ? afterError(attempts, error)
					: afterResponse(attempts));
	}

	private Mono<Void> afterResponse(Attempts attempts) {
		PoolServer server = chosenServer(attempts.exchange);
		if (server == null) {
			return Mono.empty();
		}
		HttpStatusCode status = attempts.exchange.getResponse().getStatusCode();
		int code = (status != null) ? status.value() : 200;
		server.traffic().responded(code, System.nanoTime() - attempts.startedNanos);
		this.observer.responded(attempts.pool, server, code);
		RetryPolicy.RetryOn condition = switch (code) {
			case 502 -> RetryPolicy.RetryOn.STATUS_502;
			case 503 -> RetryPolicy.RetryOn.STATUS_503;
			case 504 -> RetryPolicy.RetryOn.STATUS_504;
			default -> null;
		};
		if (condition == null || !mayRetry(attempts, server, condition)) {
			return Mono.empty();
		}
		discardResponse(attempts.exchange);
		return retry(attempts, server, false);
	}

	private Mono<Void> afterError(Attempts attempts, Throwable error) {
		PoolServer server = chosenServer(attempts.exchange);
		if (server == null && attempts.lastError != null) {
			// No server left to retry on: the client learns what went wrong with the
			// last.
			return Mono.error(attempts.lastError);
		}
		RetryPolicy.RetryOn condition = classify(error);
		if (server == null || condition == null) {
			return Mono.error(error);
		}
		if (condition == RetryPolicy.RetryOn.CONN_FAILURE) {
			server.traffic().connectionFailed();
		}
		else {
			server.traffic().responseFailed();
		}
		this.observer.failed(attempts.pool, server, reason(error, condition));
		if (!mayRetry(attempts, server, condition)) {
			return Mono.error(error);
		}
		attempts.lastError = error;
		return retry(attempts, server, condition == RetryPolicy.RetryOn.CONN_FAILURE);
	}

	private boolean mayRetry(Attempts attempts, PoolServer failedServer, RetryPolicy.RetryOn condition) {
		RetryPolicy policy = attempts.pool.retry();
		if (attempts.failed.size() >= policy.retries() || !policy.on().contains(condition)
				|| attempts.exchange.getResponse().isCommitted() || !hasAnotherServer(attempts, failedServer)) {
			return false;
		}
		boolean bodyAvailable = attempts.replayable == null || attempts.replayable.canReplay();
		if (condition == RetryPolicy.RetryOn.CONN_FAILURE) {
			// Nothing was sent, so a body not wrapped for replay is still unread.
			return bodyAvailable;
		}
		return attempts.idempotent && bodyAvailable;
	}

	/**
	 * Whether a server that has not failed this request is UP: else a retry could only
	 * end in "no server available", hiding what the last server answered.
	 */
	private static boolean hasAnotherServer(Attempts attempts, PoolServer failedServer) {
		for (PoolServer server : attempts.pool.servers()) {
			if (server != failedServer && server.state().isUp() && !attempts.failed.contains(server)) {
				return true;
			}
		}
		return false;
	}

	private Mono<Void> retry(Attempts attempts, PoolServer failedServer, boolean redispatch) {
		attempts.failed.add(failedServer);
		failedServer.state().recordRetry(redispatch);
		// The failed attempt is over; the exchange's end closes only the last one.
		failedServer.traffic().ended();
		ServerWebExchange exchange = attempts.exchange;
		exchange.getAttributes().remove(ServerWebExchangeUtils.GATEWAY_ALREADY_ROUTED_ATTR);
		exchange.getAttributes().remove(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, attempts.url);
		return attempt(attempts);
	}

	/** Drops a response that will not reach the client, and its connection. */
	private static void discardResponse(ServerWebExchange exchange) {
		Connection connection = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR);
		if (connection != null) {
			connection.dispose();
		}
		exchange.getAttributes().remove(ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR);
		exchange.getAttributes().remove(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR);
		ServerHttpResponse response = exchange.getResponse();
		Set<String> names = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_HEADER_NAMES);
		if (names != null) {
			names.forEach(response.getHeaders()::remove);
		}
		response.setStatusCode(null);
	}

	private static @Nullable PoolServer chosenServer(ServerWebExchange exchange) {
		Response<ServiceInstance> chosen = exchange
			.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		return (chosen != null && chosen.getServer() instanceof PoolServer server) ? server : null;
	}

	/** The retry condition an error stands for, or null if the server is not at fault. */
	private static RetryPolicy.@Nullable RetryOn classify(Throwable error) {
		if (error instanceof ConnectException || error instanceof ConnectTimeoutException
				|| error instanceof UnknownHostException || error instanceof NoRouteToHostException) {
			return RetryPolicy.RetryOn.CONN_FAILURE;
		}
		if (error instanceof ResponseStatusException statusError
				&& statusError.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
			return RetryPolicy.RetryOn.RESPONSE_TIMEOUT;
		}
		if (error instanceof PrematureCloseException || error instanceof AbortedException
				|| error instanceof IOException) {
			return RetryPolicy.RetryOn.EMPTY_RESPONSE;
		}
		return null;
	}

	private static String reason(Throwable error, RetryPolicy.RetryOn condition) {
		return switch (condition) {
			case CONN_FAILURE -> (error instanceof ConnectTimeoutException) ? "connect timeout"
					: (error instanceof UnknownHostException) ? "unknown host"
							: (error instanceof NoRouteToHostException) ? "no route to host" : "connection refused";
			case RESPONSE_TIMEOUT -> "response timeout";
			default -> (error instanceof PrematureCloseException) ? "connection closed before the response"
					: "connection reset";
		};
	}

	private static boolean hasBody(HttpHeaders headers) {
		return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
	}

	/** One request's attempts on a pool. Attempts follow one another, never overlap. */
	private static final class Attempts {

		final ServerWebExchange exchange;

		final GatewayFilterChain chain;

		final Pool pool;

		final URI url;

		final boolean idempotent;

		final @Nullable ReplayableBodyRequest replayable;

		final FailedServers failed;

		/** When the current attempt started, as a nanoTime. */
		long startedNanos;

		/** The error of the last attempt that was retried. */
		@Nullable Throwable lastError;

		Attempts(ServerWebExchange exchange, GatewayFilterChain chain, Pool pool, URI url, boolean idempotent,
				@Nullable ReplayableBodyRequest replayable, FailedServers failed) {
			this.exchange = exchange;
			this.chain = chain;
			this.pool = pool;
			this.url = url;
			this.idempotent = idempotent;
			this.replayable = replayable;
			this.failed = failed;
		}

	}

}

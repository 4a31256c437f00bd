package io.junction.observability;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.junction.proxy.UpstreamFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Sees every routed request end, once its response has been written: records the route's
 * requests, responses, errors and duration. Takes the place of Gateway's own request
 * timer, which looked its timer up by tags on every request; here each route's meters are
 * built once and found with one map lookup.
 */
final class RouteMetricsFilter implements GlobalFilter, Ordered {

	private final MeterRegistry registry;

	private final ConcurrentMap<String, RouteMeters> routes = new ConcurrentHashMap<>();

	RouteMetricsFilter(MeterRegistry registry, Iterable<String> routeIds) {
		this.registry = registry;
		configured(routeIds);
	}

	/**
	 * Routes of the configuration, at start-up or from a reload: they show in the scrape
	 * before their first request.
	 */
	void configured(Iterable<String> routeIds) {
		for (String routeId : routeIds) {
			meters(routeId);
		}
	}

	@Override
	public int getOrder() {
		// Around the filter that writes the response body, so the time includes it.
		return NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		long started = System.nanoTime();
		return chain.filter(exchange)
			.doOnError((error) -> ended(exchange, started, statusOf(error)))
			.doFinally((signal) -> {
				if (signal != SignalType.ON_ERROR) {
					ended(exchange, started, (signal == SignalType.ON_COMPLETE) ? statusOf(exchange) : -1);
				}
			});
	}

	/**
	 * Records the end of the exchange; {@code status} is -1 when the client left first.
	 */
	private void ended(ServerWebExchange exchange, long started, int status) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		if (route != null) {
			meters(route.getId()).record(status, System.nanoTime() - started);
		}
	}

	private RouteMeters meters(String routeId) {
		RouteMeters meters = this.routes.get(routeId);
		return (meters != null) ? meters : this.routes.computeIfAbsent(routeId, this::register);
	}

	private RouteMeters register(String routeId) {
		Tags tags = Tags.of("route", routeId);
		Counter[] responses = new Counter[PoolMeters.STATUS_CLASSES.length];
		for (int i = 0; i < responses.length; i++) {
			responses[i] = Counter.builder(JunctionMeters.ROUTE_RESPONSES.meterName())
				.description(JunctionMeters.ROUTE_RESPONSES.description())
				.tags(tags.and("code", PoolMeters.STATUS_CLASSES[i]))
				.register(this.registry);
		}
		return new RouteMeters(
				Counter.builder(JunctionMeters.ROUTE_REQUESTS.meterName())
					.description(JunctionMeters.ROUTE_REQUESTS.description())
					.tags(tags)
					.register(this.registry),
				responses,
				Counter.builder(JunctionMeters.ROUTE_ERRORS.meterName())
					.description(JunctionMeters.ROUTE_ERRORS.description())
					.tags(tags)
					.register(this.registry),
				PoolMeters.latencyTimer(JunctionMeters.ROUTE_REQUEST_DURATION, tags).register(this.registry));
	}

	private static int statusOf(ServerWebExchange exchange) {
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		return (status != null) ? status.value() : 200;
	}

	/**
	 * The status Junction's error handler answers an error with: the error's own, or a
	 * 5xx for a server that failed.
	 */
	private static int statusOf(Throwable error) {
		UpstreamFailure failure = UpstreamFailure.of(error);
		if (failure != null) {
			return failure.status().value();
		}
		return (error instanceof ResponseStatusException statusError) ? statusError.getStatusCode().value() : 500;
	}

	/** One route's meters, built once. */
	private record RouteMeters(Counter requests, Counter[] responses, Counter errors, Timer duration) {

		void record(int status, long nanos) {
			this.requests.increment();
			this.duration.record(nanos, TimeUnit.NANOSECONDS);
			if (status < 0) {
				return;
			}
			int statusClass = status / 100;
			this.responses[(statusClass >= 1 && statusClass <= 5) ? statusClass : 0].increment();
			if (statusClass == 5) {
				this.errors.increment();
			}
		}

	}

}

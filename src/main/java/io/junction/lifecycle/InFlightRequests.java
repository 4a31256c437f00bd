package io.junction.lifecycle;

import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Counts the requests in flight on the traffic port, and while draining answers each with
 * {@code Connection: close}, so that keep-alive clients reconnect, through the ELB, to
 * another gateway.
 */
final class InFlightRequests implements WebFilter, Ordered {

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile boolean draining;

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (this.draining) {
			exchange.getResponse().beforeCommit(() -> {
				exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
				return Mono.empty();
			});
		}
		this.inFlight.incrementAndGet();
		return chain.filter(exchange).doFinally((signal) -> this.inFlight.decrementAndGet());
	}

	void startDraining() {
		this.draining = true;
	}

	boolean isDraining() {
		return this.draining;
	}

	int count() {
		return this.inFlight.get();
	}

}

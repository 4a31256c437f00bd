package io.junction.edge;

import java.time.Duration;

import io.junction.framing.RequestLimitsProperties;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Applies {@code junction.limits.idle-timeout} and
 * {@code junction.limits.max-connections} (through {@link ConnectionLimit}) to the client
 * connections of the traffic port. A customizer of the factory, as
 * {@link ProxyProtocolCustomizer} is, so that the management port keeps its own settings
 * and is never held back by the limit.
 */
final class ClientConnectionsCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

	private final Duration idleTimeout;

	private final ConnectionLimit limit;

	ClientConnectionsCustomizer(RequestLimitsProperties limits, ConnectionLimit limit) {
		this.idleTimeout = limits.getIdleTimeout();
		this.limit = limit;
	}

	// After Spring Boot's own customizer (order 0), which sets server.netty.idle-timeout
	// through the same server customizers: the last one added wins, and that is this.
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		// Reactor Netty times only the wait for a request: the timer stops when a request
		// arrives and starts again when its response has been sent.
		// The limit counts from the moment the port is bound: before readiness, so
		// before a load balancer sends anything.
		factory.addServerCustomizers((server) -> server.idleTimeout(this.idleTimeout)
			.doOnBound((bound) -> this.limit.watch(bound.channel())));
	}

}

package io.junction.edge;

import java.time.Duration;

import io.junction.framing.RequestLimitsProperties;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Applies {@code junction.limits.idle-timeout} to the client connections of the traffic
 * port. A customizer of the factory, as {@link ProxyProtocolCustomizer} is, so that the
 * management port keeps its own settings.
 */
final class ClientConnectionsCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

	private final Duration idleTimeout;

	ClientConnectionsCustomizer(RequestLimitsProperties limits) {
		this.idleTimeout = limits.getIdleTimeout();
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
		factory.addServerCustomizers((server) -> server.idleTimeout(this.idleTimeout));
	}

}

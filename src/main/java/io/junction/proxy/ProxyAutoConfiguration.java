package io.junction.proxy;

import io.junction.observability.JunctionMeters;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolsAutoConfiguration;
import io.junction.pools.ServerObserver;
import io.junction.routing.RoutingProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.context.annotation.Bean;

/** Junction's request pipeline for routes to a pool. */
@AutoConfiguration(after = PoolsAutoConfiguration.class, before = GatewayAutoConfiguration.class)
public class ProxyAutoConfiguration {

	@Bean(destroyMethod = "close")
	Upstreams upstreams(PoolRegistry registry) {
		return new Upstreams(registry);
	}

	@Bean
	ProxyHeaders proxyHeaders(RoutingProperties routing) {
		return new ProxyHeaders(routing.getTrustedProxies());
	}

	@Bean
	RequestBodyLimit requestBodyLimit(Upstreams upstreams) {
		return new RequestBodyLimit(upstreams);
	}

	@Bean
	WebSocketSessions webSocketSessions(ObjectProvider<MeterRegistry> meterRegistry) {
		WebSocketSessions sessions = new WebSocketSessions();
		meterRegistry.ifAvailable((registry) -> Gauge
			.builder(JunctionMeters.WEBSOCKET_SESSIONS.meterName(), sessions, WebSocketSessions::count)
			.description(JunctionMeters.WEBSOCKET_SESSIONS.description())
			.register(registry));
		return sessions;
	}

	// In place of Gateway's load balancer filter, its retry-free routing filter and the
	// retry, attempt and metrics filters Junction had around them.
	@Bean
	PoolProxyFilter poolProxyFilter(Upstreams upstreams, ServerObserver observer, ProxyHeaders headers,
			RoutingProperties routing, GatewayProperties gateway, WebSocketSessions webSockets) {
		return new PoolProxyFilter(upstreams, observer, headers, routing.isPreserveHost(),
				gateway.getStreamingMediaTypes(), System::nanoTime, webSockets);
	}

}

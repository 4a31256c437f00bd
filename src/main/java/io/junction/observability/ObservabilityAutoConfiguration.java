package io.junction.observability;

import java.util.List;

import io.junction.config.ConfigAutoConfiguration;
import io.junction.config.ConfigurationReloader;
import io.junction.discovery.DiscoveryAutoConfiguration;
import io.junction.discovery.DnsDiscovery;
import io.junction.edge.ConnectionLimit;
import io.junction.edge.EdgeAutoConfiguration;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * Junction's meters: per pool and server, per route, the traffic port's connections and
 * refused requests.
 */
@AutoConfiguration(after = { PoolsAutoConfiguration.class, ConfigAutoConfiguration.class,
		DiscoveryAutoConfiguration.class, EdgeAutoConfiguration.class })
public class ObservabilityAutoConfiguration {

	@Bean
	PoolMeters poolMeters(PoolRegistry pools) {
		return new PoolMeters(pools);
	}

	@Bean
	ConfigurationMeters configurationMeters(ConfigurationReloader reloader, DnsDiscovery discovery) {
		return new ConfigurationMeters(reloader, discovery);
	}

	@Bean
	ConnectionMeters connectionMeters(ConnectionLimit limit) {
		return new ConnectionMeters(limit);
	}

	// A reload's new routes are in the scrape before their first request too.
	@Bean
	ApplicationListener<RefreshRoutesResultEvent> routeMetersOnReload(RouteMetricsFilter filter,
			GatewayProperties gateway) {
		return (event) -> filter.configured(gateway.getRoutes().stream().map(RouteDefinition::getId).toList());
	}

	@Bean
	RefusedRequests refusedRequests(MeterRegistry registry) {
		return RefusedRequests.counted(registry);
	}

	@Bean
	RouteMetricsFilter routeMetricsFilter(MeterRegistry registry, GatewayProperties gateway) {
		List<String> routeIds = gateway.getRoutes().stream().map(RouteDefinition::getId).toList();
		return new RouteMetricsFilter(registry, routeIds);
	}

}

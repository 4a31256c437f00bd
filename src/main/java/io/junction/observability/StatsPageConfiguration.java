package io.junction.observability;

import io.junction.config.ConfigurationReloader;
import io.junction.pools.PoolRegistry;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The live stats page, HAProxy's {@code stats uri}: {@code /junction} on the management
 * port, and the figures it polls at {@code /junction/stats}. Only in the management
 * server's own context, so that it never answers on the traffic port.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class StatsPageConfiguration {

	private static final Resource PAGE = new ClassPathResource("io/junction/observability/stats.html");

	@Bean
	RouterFunction<ServerResponse> statsPage(PoolRegistry pools, ConfigurationReloader reloader) {
		return RouterFunctions.route()
			.GET("/junction",
					(request) -> ServerResponse.ok()
						.contentType(MediaType.TEXT_HTML)
						.cacheControl(CacheControl.noStore())
						.bodyValue(PAGE))
			.GET("/junction/stats",
					(request) -> ServerResponse.ok()
						.contentType(MediaType.APPLICATION_JSON)
						.cacheControl(CacheControl.noStore())
						.bodyValue(PoolStats.read(pools, reloader)))
			.build();
	}

}

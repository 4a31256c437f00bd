package io.junction.admin;

import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolsAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The {@code servers} endpoint, when exposed. */
@AutoConfiguration(after = PoolsAutoConfiguration.class)
@EnableConfigurationProperties(AdminProperties.class)
public class AdminAutoConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint
	ServersEndpoint serversEndpoint(PoolRegistry pools, AdminProperties properties) {
		return new ServersEndpoint(pools, properties);
	}

}

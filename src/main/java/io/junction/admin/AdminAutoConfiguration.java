package io.junction.admin;

import io.junction.config.ConfigAutoConfiguration;
import io.junction.config.ConfigurationReloader;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolsAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The {@code servers} and {@code config} endpoints, when exposed. */
@AutoConfiguration(after = { PoolsAutoConfiguration.class, ConfigAutoConfiguration.class })
@EnableConfigurationProperties(AdminProperties.class)
public class AdminAutoConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint
	ServersEndpoint serversEndpoint(PoolRegistry pools, AdminProperties properties) {
		return new ServersEndpoint(pools, properties);
	}

	@Bean
	@ConditionalOnAvailableEndpoint
	ConfigEndpoint configEndpoint(ConfigurationReloader reloader, AdminProperties properties) {
		return new ConfigEndpoint(reloader, properties);
	}

}

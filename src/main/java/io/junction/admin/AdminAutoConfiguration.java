package io.junction.admin;

import io.junction.config.ConfigAutoConfiguration;
import io.junction.config.ConfigurationReloader;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolsAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code servers} and {@code config} endpoints. Always defined: whether they are
 * exposed ({@code management.endpoints.web.exposure.*}, {@code management.endpoint.*}) is
 * decided at start by the endpoint discovery, while a
 * {@code @ConditionalOnAvailableEndpoint} would be fixed at build time by Spring AOT.
 */
@AutoConfiguration(after = { PoolsAutoConfiguration.class, ConfigAutoConfiguration.class })
@EnableConfigurationProperties(AdminProperties.class)
public class AdminAutoConfiguration {

	@Bean
	ServersEndpoint serversEndpoint(PoolRegistry pools, AdminProperties properties) {
		return new ServersEndpoint(pools, properties);
	}

	@Bean
	ConfigEndpoint configEndpoint(ConfigurationReloader reloader, AdminProperties properties) {
		return new ConfigEndpoint(reloader, properties);
	}

}

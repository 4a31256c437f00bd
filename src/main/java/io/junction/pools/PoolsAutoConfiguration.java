package io.junction.pools;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The pools of {@code junction.backends}, in their registry. */
@AutoConfiguration
@EnableConfigurationProperties(PoolsProperties.class)
public class PoolsAutoConfiguration {

	private static final Log logger = LogFactory.getLog(PoolsAutoConfiguration.class);

	@Bean
	PoolRegistry poolRegistry(PoolsProperties properties) {
		PoolRegistry registry = new PoolRegistry(properties);
		for (Pool pool : registry.current().all()) {
			logger.info("backend " + pool.name() + ": " + pool.servers().size() + " servers " + pool.servers());
		}
		return registry;
	}

}

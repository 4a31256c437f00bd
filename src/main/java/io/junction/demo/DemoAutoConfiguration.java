package io.junction.demo;

import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolsAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;

/** Starts the demo app servers when the {@code demo} profile is active. */
@AutoConfiguration(after = PoolsAutoConfiguration.class)
@Profile("demo")
public class DemoAutoConfiguration {

	@Bean
	DemoAppServers demoAppServers(PoolRegistry pools) {
		return new DemoAppServers(pools);
	}

}

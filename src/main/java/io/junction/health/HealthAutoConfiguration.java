package io.junction.health;

import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolsAutoConfiguration;
import io.junction.pools.ServerObserver;
import io.junction.proxy.Upstreams;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Active and passive checks of every pool's servers, and their health report. */
@AutoConfiguration(after = PoolsAutoConfiguration.class)
public class HealthAutoConfiguration {

	@Bean
	ServerObserver passiveHealthTracker() {
		return new PassiveHealthTracker(System::nanoTime);
	}

	@Bean
	ActiveHealthChecker activeHealthChecker(PoolRegistry registry, Upstreams upstreams) {
		return new ActiveHealthChecker(registry, upstreams);
	}

	@Bean
	PoolsHealthIndicator poolsHealthIndicator(PoolRegistry registry) {
		return new PoolsHealthIndicator(registry);
	}

}

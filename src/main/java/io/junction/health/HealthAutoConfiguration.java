package io.junction.health;

import io.junction.pools.BackendPools;
import io.junction.pools.PoolsAutoConfiguration;
import io.junction.pools.ServerObserver;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Active and passive checks of every pool's servers, and their health report. */
@AutoConfiguration(before = PoolsAutoConfiguration.class)
public class HealthAutoConfiguration {

	@Bean
	ServerObserver passiveHealthTracker() {
		return new PassiveHealthTracker();
	}

	@Bean
	ActiveHealthChecker activeHealthChecker(BackendPools pools) {
		return new ActiveHealthChecker(pools);
	}

	@Bean
	PoolsHealthIndicator poolsHealthIndicator(BackendPools pools) {
		return new PoolsHealthIndicator(pools);
	}

}

package io.junction.observability;

import io.junction.pools.BackendPools;
import io.junction.pools.PoolsAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Junction's meters. */
@AutoConfiguration(after = PoolsAutoConfiguration.class)
public class ObservabilityAutoConfiguration {

	@Bean
	PoolMeters poolMeters(BackendPools pools) {
		return new PoolMeters(pools);
	}

}

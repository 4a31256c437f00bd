package io.junction.lifecycle;

import io.junction.InvalidConfigurationException;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/** Graceful drain on shutdown. */
@AutoConfiguration
@EnableConfigurationProperties(ShutdownProperties.class)
public class LifecycleAutoConfiguration {

	@Bean
	InFlightRequests inFlightRequests() {
		return new InFlightRequests();
	}

	@Bean
	DrainOnShutdown drainOnShutdown(ApplicationEventPublisher publisher, InFlightRequests inFlight,
			ShutdownProperties properties) {
		if (properties.getDrainDelay() == null || properties.getDrainDelay().isNegative()) {
			throw new InvalidConfigurationException(ShutdownProperties.PREFIX + ".drain-delay",
					properties.getDrainDelay() + " must be 0s or more");
		}
		return new DrainOnShutdown(publisher, inFlight, properties.getDrainDelay());
	}

}

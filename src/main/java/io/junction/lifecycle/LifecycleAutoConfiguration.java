package io.junction.lifecycle;

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
		return new DrainOnShutdown(publisher, inFlight, properties.getDrainDelay());
	}

}

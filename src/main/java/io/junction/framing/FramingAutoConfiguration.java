package io.junction.framing;

import io.junction.observability.RefusedRequests;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Strict request framing and head limits on the traffic port. */
@AutoConfiguration
@EnableConfigurationProperties(RequestLimitsProperties.class)
public class FramingAutoConfiguration {

	@Bean
	FramingCustomizer framingCustomizer(RequestLimitsProperties limits, RefusedRequests refusals) {
		return new FramingCustomizer(limits, refusals);
	}

}

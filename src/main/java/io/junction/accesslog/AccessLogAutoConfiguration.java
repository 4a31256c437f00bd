package io.junction.accesslog;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The access log. Its settings are always bound, so that a bad value is refused even
 * while the log is off; the log itself exists only when
 * {@code junction.access-log.enabled=true}, and otherwise nothing is added to the request
 * path.
 */
@AutoConfiguration
@EnableConfigurationProperties(AccessLogProperties.class)
public class AccessLogAutoConfiguration {

	private static final Log logger = LogFactory.getLog(AccessLogAutoConfiguration.class);

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = AccessLogProperties.PREFIX, name = "enabled", havingValue = "true")
	static class Enabled {

		@Bean
		AccessLogWriter accessLogWriter(AccessLogProperties properties, Environment environment) {
			boolean json = properties.getFormat() == AccessLogProperties.Format.JSON;
			if (json && !environment.containsProperty("logging.structured.format.console")
					&& !environment.containsProperty("logging.structured.format.file")) {
				logger.warn(AccessLogProperties.PREFIX + ".format=json: the fields are written as JSON keys only with "
						+ "logging.structured.format.console (or .file) set, such as logstash or ecs");
			}
			return new AccessLogWriter(properties.getQueueCapacity(), new AccessLogLines(json));
		}

		@Bean
		AccessLogHttpHandlerDecorator accessLogHttpHandlerDecorator(ApplicationContext context,
				AccessLogWriter writer) {
			return new AccessLogHttpHandlerDecorator(context, writer);
		}

		@Bean
		AccessLogRouteFilter accessLogRouteFilter() {
			return new AccessLogRouteFilter();
		}

		@Bean
		MeterBinder accessLogMeters(AccessLogWriter writer) {
			return (registry) -> FunctionCounter
				.builder("junction.access.log.dropped", writer, AccessLogWriter::dropped)
				.description("Access-log lines dropped because the writer's queue was full")
				.register(registry);
		}

	}

}

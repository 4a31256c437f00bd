package io.junction.accesslog;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The access log. Its settings are always bound, so that a bad value is refused even
 * while the log is off; the log itself exists only when
 * {@code junction.access-log.enabled=true}, and otherwise nothing is added to the request
 * path.
 */
@AutoConfiguration
@EnableConfigurationProperties(AccessLogProperties.class)
@Import(AccessLogAutoConfiguration.AccessLogBeans.class)
public class AccessLogAutoConfiguration {

	private static final Log logger = LogFactory.getLog(AccessLogAutoConfiguration.class);

	/**
	 * Registers the access log's beans when it is enabled. A registrar rather than a
	 * {@code @ConditionalOnProperty}: Spring AOT would evaluate the condition once at
	 * build time, while a registrar runs at every start, also from AOT-generated code.
	 * Public, since that generated code creates it.
	 */
	public static final class AccessLogBeans implements BeanRegistrar {

		@Override
		public void register(BeanRegistry registry, Environment environment) {
			if (!Binder.get(environment).bind(AccessLogProperties.PREFIX + ".enabled", Boolean.class).orElse(false)) {
				return;
			}
			registry.registerBean("accessLogWriter", AccessLogWriter.class,
					(bean) -> bean.supplier((beans) -> writer(beans.bean(AccessLogProperties.class), environment)));
			registry.registerBean("accessLogHttpHandlerDecorator", AccessLogHttpHandlerDecorator.class, (bean) -> bean
				.supplier((beans) -> new AccessLogHttpHandlerDecorator(beans.bean(AccessLogWriter.class))));
			registry.registerBean("accessLogRouteFilter", AccessLogRouteFilter.class,
					(bean) -> bean.supplier((beans) -> new AccessLogRouteFilter()));
			registry.registerBean("accessLogMeters", MeterBinder.class,
					(bean) -> bean.supplier((beans) -> meters(beans.bean(AccessLogWriter.class))));
		}

		private static AccessLogWriter writer(AccessLogProperties properties, Environment environment) {
			boolean json = properties.getFormat() == AccessLogProperties.Format.JSON;
			if (json && !environment.containsProperty("logging.structured.format.console")
					&& !environment.containsProperty("logging.structured.format.file")) {
				logger.warn(AccessLogProperties.PREFIX + ".format=json: the fields are written as JSON keys only with "
						+ "logging.structured.format.console (or .file) set, such as logstash or ecs");
			}
			return new AccessLogWriter(properties.getQueueCapacity(), new AccessLogLines(json));
		}

		private static MeterBinder meters(AccessLogWriter writer) {
			return (registry) -> FunctionCounter
				.builder("junction.access.log.dropped", writer, AccessLogWriter::dropped)
				.description("Access-log lines dropped because the writer's queue was full")
				.register(registry);
		}

	}

}

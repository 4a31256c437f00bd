package io.junction.config;

import java.util.List;

import io.junction.InvalidConfigurationException;
import io.junction.pools.PoolRegistry;
import io.junction.routing.RouteChecks;
import io.junction.routing.RouteVocabulary;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.context.ApplicationContext;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/** The check of the whole configuration at start-up, and its reload. */
@AutoConfiguration
@EnableConfigurationProperties(ReloadProperties.class)
public class ConfigAutoConfiguration {

	// Static, and a factory post-processor: it runs once every bean is defined and
	// before any is created, so that a bad configuration is refused before a port opens
	// or a health check starts, with every problem at once.
	@Bean
	static CheckAtStartup junctionCheckAtStartup() {
		return new CheckAtStartup();
	}

	@Bean
	ConfigurationReloader configurationReloader(ApplicationContext context, ConfigurableListableBeanFactory beans,
			PoolRegistry pools, GatewayProperties gateway) {
		return new ConfigurationReloader((ConfigurableEnvironment) context.getEnvironment(), context,
				new ConfigurationCheck(RouteVocabulary.of(beans)), pools, gateway, context);
	}

	// Always defined, and decides at start whether to watch: Spring AOT would evaluate a
	// condition on junction.reload.enabled once, at build time.
	@Bean
	ConfigFileWatcher configFileWatcher(ConfigurationReloader reloader, ReloadProperties properties) {
		return new ConfigFileWatcher(reloader, properties.isEnabled(), properties.getInterval());
	}

	@Bean
	ConfigHealthIndicator configHealthIndicator(ConfigurationReloader reloader) {
		return new ConfigHealthIndicator(reloader);
	}

	static final class CheckAtStartup implements BeanFactoryPostProcessor, EnvironmentAware {

		private static final Log logger = LogFactory.getLog(CheckAtStartup.class);

		private ConfigurableEnvironment environment;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = (ConfigurableEnvironment) environment;
		}

		@Override
		public void postProcessBeanFactory(ConfigurableListableBeanFactory beans) {
			CheckedConfiguration checked = new ConfigurationCheck(RouteVocabulary.of(beans)).check(this.environment);
			if (!checked.isValid()) {
				throw new InvalidConfigurationException(checked.problems());
			}
			List<RouteDefinition> routes = checked.routes();
			if (routes.isEmpty()) {
				logger.warn("No routes configured (" + RouteChecks.ROUTES
						+ " is empty): nothing is routed, every request gets 404");
			}
			else {
				logger.info(routes.size() + " routes configured");
			}
		}

	}

}

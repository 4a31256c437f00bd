package io.junction.pools;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;

/**
 * Makes every {@code junction.backends.<name>} pool a Spring Cloud LoadBalancer service
 * id.
 */
@AutoConfiguration(before = LoadBalancerAutoConfiguration.class)
@EnableConfigurationProperties(PoolsProperties.class)
@LoadBalancerClients(defaultConfiguration = PoolLoadBalancerConfiguration.class)
public class PoolsAutoConfiguration {

	private static final Log logger = LogFactory.getLog(PoolsAutoConfiguration.class);

	@Bean
	BackendPools backendPools(PoolsProperties properties) {
		return new BackendPools(properties);
	}

	@Bean
	PoolRetryFilter poolRetryFilter(BackendPools pools, ServerObserver observer) {
		return new PoolRetryFilter(pools, observer);
	}

	@Bean
	ServerBytesCounter serverBytesCounter(BackendPools pools) {
		return new ServerBytesCounter(pools);
	}

	// Replaces Gateway's load balancer filter, turned off in application.yml
	// (global-filter.reactive-load-balancer-client.enabled: false).
	@Bean
	PoolLoadBalancerFilter poolLoadBalancerFilter(LoadBalancerClientFactory clientFactory) {
		return new PoolLoadBalancerFilter(clientFactory);
	}

	/**
	 * Creates each pool's load balancer at start-up rather than on the pool's first
	 * request, which would otherwise pay for building a child context.
	 */
	@Bean
	SmartInitializingSingleton poolLoadBalancersWarmer(BackendPools pools, LoadBalancerClientFactory clientFactory) {
		return () -> {
			for (Pool pool : pools.all()) {
				clientFactory.getInstance(pool.name(), ReactorServiceInstanceLoadBalancer.class);
				logger.info("backend " + pool.name() + ": " + pool.servers().size() + " servers " + pool.servers());
			}
		};
	}

}

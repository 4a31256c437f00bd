package io.junction.pools;

import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Configuration of the child context that Spring Cloud LoadBalancer creates per service
 * id: for a Junction pool, the servers come from {@link BackendPools} and the strategy is
 * {@link RoundRobinLoadBalancer}. Applied to every service id through
 * {@code @LoadBalancerClients(defaultConfiguration = ...)}; not component-scanned.
 */
class PoolLoadBalancerConfiguration {

	@Bean
	ServiceInstanceListSupplier poolServiceInstanceListSupplier(Environment environment, BackendPools pools) {
		String name = LoadBalancerClientFactory.getName(environment);
		Pool pool = pools.get(name);
		List<ServiceInstance> servers = (pool != null) ? List.copyOf(pool.servers()) : List.of();
		return new ServiceInstanceListSupplier() {

			@Override
			public String getServiceId() {
				return name;
			}

			@Override
			public Flux<List<ServiceInstance>> get() {
				return Flux.just(servers);
			}

		};
	}

	@Bean
	ReactorServiceInstanceLoadBalancer poolLoadBalancer(Environment environment, BackendPools pools) {
		String name = LoadBalancerClientFactory.getName(environment);
		return new RoundRobinLoadBalancer(pools.get(name));
	}

}

package io.junction.pools;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;

/**
 * HAProxy's {@code balance roundrobin}: each request takes the next server of the pool,
 * cycling strictly in configuration order. Lock-free; the responses are built once.
 */
final class RoundRobinLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	private final List<Mono<Response<ServiceInstance>>> choices;

	private final AtomicInteger next = new AtomicInteger();

	RoundRobinLoadBalancer(Pool pool) {
		this.choices = pool.servers()
			.stream()
			.map((server) -> Mono.<Response<ServiceInstance>>just(new DefaultResponse(server)))
			.toList();
	}

	@Override
	public Mono<Response<ServiceInstance>> choose(Request request) {
		int size = this.choices.size();
		if (size == 0) {
			return Mono.just(new EmptyResponse());
		}
		// floorMod keeps the index valid once the counter wraps past Integer.MAX_VALUE.
		return this.choices.get(Math.floorMod(this.next.getAndIncrement(), size));
	}

}

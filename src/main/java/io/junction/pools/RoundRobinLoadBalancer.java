package io.junction.pools;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;

/**
 * HAProxy's {@code balance roundrobin} with weights: each request takes the next server
 * of the pool's {@link Rotation} order (smooth weighted round robin; strict round robin
 * in configuration order when the weights are equal), skipping servers that are DOWN,
 * ejected, or already failed this request. Servers the operator took out of rotation
 * (DRAIN, MAINT, weight 0) are not in the order at all. Lock-free; the responses are
 * built once.
 */
final class RoundRobinLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	private static final Mono<Response<ServiceInstance>> NONE = Mono.just(new EmptyResponse());

	private final List<PoolServer> servers;

	private final @Nullable Rotation rotation;

	private final List<Mono<Response<ServiceInstance>>> choices;

	private final AtomicInteger next = new AtomicInteger();

	RoundRobinLoadBalancer(@Nullable Pool pool) {
		this.servers = (pool != null) ? pool.servers() : List.of();
		this.rotation = (pool != null) ? pool.rotation() : null;
		this.choices = this.servers.stream()
			.map((server) -> Mono.<Response<ServiceInstance>>just(new DefaultResponse(server)))
			.toList();
	}

	@Override
	public Mono<Response<ServiceInstance>> choose(Request request) {
		if (this.rotation == null) {
			return NONE;
		}
		int[] order = this.rotation.order();
		int turns = order.length;
		if (turns == 0) {
			// Every server is drained, in maintenance or weighted 0: the operator's call.
			return NONE;
		}
		FailedServers failed = FailedServers.of(request);
		// floorMod keeps the index valid once the counter wraps past Integer.MAX_VALUE.
		int start = Math.floorMod(this.next.getAndIncrement(), turns);
		long now = System.nanoTime();
		for (int i = 0; i < turns; i++) {
			int index = order[(start + i) % turns];
			PoolServer server = this.servers.get(index);
			if (server.state().isAvailable(now) && (failed == null || !failed.contains(server))) {
				return this.choices.get(index);
			}
		}
		// Every UP server in rotation is ejected: trying one beats refusing the request
		// (Envoy's panic mode). A server DOWN by active checks is never tried, nor one
		// the operator took out of rotation: panic mode overrides health, not the
		// operator. One pass over the servers, not the weighted order, bounds the cost.
		int size = this.servers.size();
		int first = order[start];
		for (int i = 0; i < size; i++) {
			int index = (first + i) % size;
			PoolServer server = this.servers.get(index);
			ServerState state = server.state();
			if (state.isUp() && state.isInRotation() && (failed == null || !failed.contains(server))) {
				return this.choices.get(index);
			}
		}
		return NONE;
	}

}

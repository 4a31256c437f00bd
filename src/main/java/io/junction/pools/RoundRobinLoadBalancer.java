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
 * HAProxy's {@code balance roundrobin}: each request takes the next available server of
 * the pool, cycling strictly in configuration order, and skipping servers that are DOWN,
 * ejected, or already failed this request. Lock-free; the responses are built once.
 */
final class RoundRobinLoadBalancer implements ReactorServiceInstanceLoadBalancer {

	private static final Mono<Response<ServiceInstance>> NONE = Mono.just(new EmptyResponse());

	private final List<PoolServer> servers;

	private final List<Mono<Response<ServiceInstance>>> choices;

	private final AtomicInteger next = new AtomicInteger();

	RoundRobinLoadBalancer(@Nullable Pool pool) {
		this.servers = (pool != null) ? pool.servers() : List.of();
		this.choices = this.servers.stream()
			.map((server) -> Mono.<Response<ServiceInstance>>just(new DefaultResponse(server)))
			.toList();
	}

	@Override
	public Mono<Response<ServiceInstance>> choose(Request request) {
		int size = this.servers.size();
		if (size == 0) {
			return NONE;
		}
		FailedServers failed = FailedServers.of(request);
		// floorMod keeps the index valid once the counter wraps past Integer.MAX_VALUE.
		int start = Math.floorMod(this.next.getAndIncrement(), size);
		long now = System.nanoTime();
		for (int i = 0; i < size; i++) {
			int index = (start + i) % size;
			PoolServer server = this.servers.get(index);
			if (server.state().isAvailable(now) && (failed == null || !failed.contains(server))) {
				return chosen(index);
			}
		}
		// Every UP server is ejected: trying one beats refusing the request (Envoy's
		// panic
		// mode); a server DOWN by active checks is never tried.
		for (int i = 0; i < size; i++) {
			int index = (start + i) % size;
			PoolServer server = this.servers.get(index);
			if (server.state().isUp() && (failed == null || !failed.contains(server))) {
				return chosen(index);
			}
		}
		return NONE;
	}

	/**
	 * The request goes to the server at {@code index}: it counts as in flight there until
	 * PoolRetryFilter gives up on it, or the exchange ends.
	 */
	private Mono<Response<ServiceInstance>> chosen(int index) {
		this.servers.get(index).traffic().started();
		return this.choices.get(index);
	}

}

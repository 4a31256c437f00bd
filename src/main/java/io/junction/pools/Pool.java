package io.junction.pools;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A named pool of app servers and how it is checked and retried: part of one
 * {@link BackendPools} snapshot, so fixed but for the servers' admin states and weights,
 * which its {@link Rotation} changes at run time.
 *
 * @param name the pool's name, the service id of {@code lb://<name>}
 * @param servers the servers in configuration order, then those found in DNS; empty only
 * while DNS has found none
 * @param healthCheck the active checks
 * @param passiveCheck the passive checks
 * @param retry when failed requests are tried again
 * @param connectTimeout maximum time to open a connection to a server
 * @param responseTimeout maximum time a request waits for a response's headers, all tries
 * together
 * @param tryTimeout maximum time one try waits for a response's headers, or null for no
 * bound but the response timeout
 * @param maxRequestBody the largest request body in bytes, or null for any size
 * @param onDown what happens to requests in flight to a server marked DOWN or ejected
 * @param connectionPool how connections to the servers are kept
 * @param tls how the pool's https servers are verified
 * @param protocol the HTTP version spoken to the servers
 * @param balance how the server of each request is picked
 * @param hash what {@link Balance#HASH} hashes, and its bound
 * @param sticky the sticky sessions' cookie, if any
 * @param allBackups whether every backup server that may take a request shares them,
 * rather than the first one only
 * @param queue the requests waiting for a server under its {@code max-connections}, and
 * how many may and for how long; kept across reloads
 * @param discovery how servers are found in DNS, or null when all are configured
 * @param rotation the servers' admin states and weights, changed at run time
 */
public record Pool(String name, List<PoolServer> servers, HealthCheckSettings healthCheck,
		PassiveCheckSettings passiveCheck, RetryPolicy retry, Duration connectTimeout, Duration responseTimeout,
		@Nullable Duration tryTimeout, @Nullable Long maxRequestBody, OnDown onDown,
		ConnectionPoolSettings connectionPool, TlsSettings tls, ServerProtocol protocol, Balance balance,
		HashSettings hash, StickySettings sticky, boolean allBackups, Duration slowStart, PoolQueue queue,
		@Nullable DiscoverySettings discovery, Rotation rotation) {

	public Pool {
		servers = List.copyOf(servers);
	}

	/** A pool whose servers are all READY with their configured weights. */
	public Pool(String name, List<PoolServer> servers, HealthCheckSettings healthCheck,
			PassiveCheckSettings passiveCheck, RetryPolicy retry, Duration connectTimeout, Duration responseTimeout,
			@Nullable Duration tryTimeout, @Nullable Long maxRequestBody, OnDown onDown,
			ConnectionPoolSettings connectionPool, TlsSettings tls, ServerProtocol protocol, Balance balance,
			HashSettings hash, StickySettings sticky, boolean allBackups, Duration slowStart, PoolQueue queue,
			@Nullable DiscoverySettings discovery) {
		this(name, servers, healthCheck, passiveCheck, retry, connectTimeout, responseTimeout, tryTimeout,
				maxRequestBody, onDown, connectionPool, tls, protocol, balance, hash, sticky, allBackups, slowStart,
				queue, discovery, new Rotation(servers, healthCheck.enabled(), slowStart));
	}

	/** The server of that name, or {@code null} when the pool has none. */
	public @Nullable PoolServer server(String name) {
		for (PoolServer server : this.servers) {
			if (server.getName().equals(name)) {
				return server;
			}
		}
		return null;
	}

	/**
	 * The server whose {@link PoolServer#stickyToken() sticky token} is {@code token}, or
	 * {@code null} when the pool has none.
	 */
	public @Nullable PoolServer serverByStickyToken(String token) {
		for (PoolServer server : this.servers) {
			if (server.stickyToken().equals(token)) {
				return server;
			}
		}
		return null;
	}

	/**
	 * How many servers may take new requests at {@code nanoTime}: UP, not ejected, and in
	 * rotation.
	 */
	public int availableCount(long nanoTime) {
		int available = 0;
		for (PoolServer server : this.servers) {
			if (server.state().isAvailable(nanoTime)) {
				available++;
			}
		}
		return available;
	}

	/** How many servers passive checks keep ejected at {@code nanoTime}. */
	public int ejectedCount(long nanoTime) {
		int ejected = 0;
		for (PoolServer server : this.servers) {
			if (server.state().isEjected(nanoTime)) {
				ejected++;
			}
		}
		return ejected;
	}

	/** How many servers active checks hold UP. */
	public int upCount() {
		int up = 0;
		for (PoolServer server : this.servers) {
			if (server.state().isUp()) {
				up++;
			}
		}
		return up;
	}

}

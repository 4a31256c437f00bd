package io.junction.pools;

import java.time.Duration;
import java.util.List;

/**
 * A named pool of app servers and how it is checked and retried, fixed at start-up.
 *
 * @param name the pool's name, the service id of {@code lb://<name>}
 * @param servers the servers in configuration order, never empty
 * @param healthCheck the active checks
 * @param passiveCheck the passive checks
 * @param retry when failed requests are tried again
 * @param connectTimeout maximum time to open a connection to a server
 * @param responseTimeout maximum time to wait for a response's headers
 */
public record Pool(String name, List<PoolServer> servers, HealthCheckSettings healthCheck,
		PassiveCheckSettings passiveCheck, RetryPolicy retry, Duration connectTimeout, Duration responseTimeout) {

	public Pool {
		servers = List.copyOf(servers);
	}

	/** How many servers may take new requests at {@code nanoTime}. */
	public int availableCount(long nanoTime) {
		int available = 0;
		for (PoolServer server : this.servers) {
			if (server.state().isAvailable(nanoTime)) {
				available++;
			}
		}
		return available;
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

package io.junction.pools;

import java.util.List;

/**
 * A named pool of app servers, fixed at start-up.
 *
 * @param name the pool's name, the service id of {@code lb://<name>}
 * @param servers the servers in configuration order, never empty
 */
public record Pool(String name, List<PoolServer> servers) {

	public Pool {
		servers = List.copyOf(servers);
	}

}

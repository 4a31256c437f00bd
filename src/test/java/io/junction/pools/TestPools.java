package io.junction.pools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Pools built as configuration builds them, for tests without sockets: each server is
 * named by its weight's position, {@code app0<i>}, on a loopback port nothing uses.
 */
public final class TestPools {

	private TestPools() {
	}

	/** A registry with one pool {@code app} of servers weighted {@code weights}. */
	public static PoolRegistry registry(int... weights) {
		return new PoolRegistry(properties(Map.of("app", weights)));
	}

	/** The pools {@code name -> weights}, with checks on and everything else default. */
	public static PoolsProperties properties(Map<String, int[]> pools) {
		PoolsProperties properties = new PoolsProperties();
		pools.forEach((name, weights) -> {
			PoolsProperties.Pool pool = new PoolsProperties.Pool();
			List<PoolsProperties.Server> servers = new ArrayList<>();
			for (int i = 0; i < weights.length; i++) {
				servers.add(server("app0" + (i + 1), "http://127.0.0.1:" + (19901 + i), weights[i]));
			}
			pool.setServers(servers);
			properties.getBackends().put(name, pool);
		});
		return properties;
	}

	/**
	 * The pool {@code app} of servers weighted {@code weights}, of which those at
	 * {@code backups} (indexes) are backups, with {@code all-backups} as given.
	 */
	public static Pool withBackups(boolean allBackups, int[] weights, int... backups) {
		return app(weights, backups, (pool) -> pool.setAllBackups(allBackups));
	}

	/**
	 * The pool {@code app} of servers weighted {@code weights}, each with
	 * {@code max-connections} {@code limit}, and backups at {@code backups} (indexes).
	 */
	public static Pool withMaxConnections(int limit, int[] weights, int... backups) {
		return app(weights, backups, (pool) -> pool.setMaxConnections(limit));
	}

	private static Pool app(int[] weights, int[] backups, Consumer<PoolsProperties.Pool> settings) {
		PoolsProperties properties = properties(Map.of("app", weights));
		PoolsProperties.Pool pool = properties.getBackends().get("app");
		settings.accept(pool);
		for (int index : backups) {
			pool.getServers().get(index).setBackup(true);
		}
		return new PoolRegistry(properties).current().get("app");
	}

	public static PoolsProperties.Server server(String name, String url, int weight) {
		PoolsProperties.Server server = new PoolsProperties.Server();
		server.setName(name);
		server.setUrl(url);
		server.setWeight(weight);
		return server;
	}

}

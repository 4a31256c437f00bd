package io.junction.balancing;

import java.util.ArrayList;
import java.util.List;

import io.junction.pools.PoolServer;

/** The servers that already failed one request: never chosen again for it. */
public final class FailedServers {

	// A request fails on few servers (retries defaults to 2): a list beats a set here.
	private final List<PoolServer> servers = new ArrayList<>(2);

	public void add(PoolServer server) {
		this.servers.add(server);
	}

	public boolean contains(PoolServer server) {
		return this.servers.contains(server);
	}

	public int size() {
		return this.servers.size();
	}

}

package io.junction.pools;

import java.time.Duration;

/**
 * How a pool finds servers in DNS, checked at start-up.
 *
 * @param name the name to look up: A/AAAA records, or SRV records when it starts with
 * {@code _}
 * @param port the port of the servers of an A/AAAA name; 0 for an SRV name
 * @param interval time between two lookups
 * @param scheme http or https
 */
public record DiscoverySettings(String name, int port, Duration interval, String scheme) {

	/** Whether the name is looked up as SRV records, which give the ports. */
	public boolean isSrv() {
		return this.name.startsWith("_");
	}

}

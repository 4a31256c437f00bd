package io.junction.pools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Backend pools, one per HAProxy {@code backend}. Checked by {@link BackendPools} at
 * start-up, which refuses a bad value naming its key.
 */
@ConfigurationProperties(PoolsProperties.PREFIX)
public class PoolsProperties {

	/** Prefix of the pool properties. */
	public static final String PREFIX = "junction";

	/**
	 * Pools by name (HAProxy {@code backend <name>}). A route reaches a pool through
	 * {@code uri: lb://<name>}; names are host names: letters, digits and '-'.
	 */
	private Map<String, Pool> backends = new LinkedHashMap<>();

	public Map<String, Pool> getBackends() {
		return this.backends;
	}

	public void setBackends(Map<String, Pool> backends) {
		this.backends = backends;
	}

	/** One pool of identical app servers. */
	public static class Pool {

		/** The pool's servers (HAProxy {@code server} lines); at least one. */
		private List<Server> servers = new ArrayList<>();

		public List<Server> getServers() {
			return this.servers;
		}

		public void setServers(List<Server> servers) {
			this.servers = servers;
		}

	}

	/** One app server of a pool. */
	public static class Server {

		/** Name of the server, unique in its pool (HAProxy {@code server <name>}). */
		private @Nullable String name;

		/**
		 * Absolute http or https URL of the server, host and optional port, no path
		 * (HAProxy {@code server <name> <address>:<port>}).
		 */
		private @Nullable String url;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

	}

}

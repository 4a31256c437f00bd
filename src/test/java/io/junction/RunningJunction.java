package io.junction;

import io.junction.pools.PoolRegistry;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A Junction started by a test, with clients for its two ports. */
public final class RunningJunction implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	RunningJunction(ConfigurableApplicationContext context) {
		this.context = context;
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public int managementPort() {
		Environment environment = this.context.getEnvironment();
		return Integer.parseInt(environment.getRequiredProperty("local.management.port"));
	}

	public WebTestClient traffic() {
		return Clients.client(port());
	}

	public WebTestClient management() {
		return Clients.client(managementPort());
	}

	public Pool pool(String name) {
		Pool pool = this.context.getBean(PoolRegistry.class).current().get(name);
		if (pool == null) {
			throw new IllegalArgumentException("no pool " + name);
		}
		return pool;
	}

	/** The pool's server that the test knows as {@code server}. */
	public PoolServer server(String pool, TestAppServer server) {
		for (PoolServer candidate : pool(pool).servers()) {
			if (candidate.getName().equals(server.name())) {
				return candidate;
			}
		}
		throw new IllegalArgumentException("no server " + server.name() + " in pool " + pool);
	}

	/** The one bean of {@code type} in the running Junction. */
	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** What {@code /actuator/prometheus} shows now. */
	public String scrape() {
		return Clients.okBody(management(), "/actuator/prometheus");
	}

	@Override
	public void close() {
		this.context.close();
	}

}

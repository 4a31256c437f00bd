package io.junction.pools;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.cloud.client.ServiceInstance;

/**
 * One app server of a pool, as Spring Cloud LoadBalancer sees it: the pool is the service
 * id, the server's name the instance id.
 */
public final class PoolServer implements ServiceInstance {

	private final String pool;

	private final String name;

	private final URI uri;

	private final int port;

	private final String origin;

	private final ServerState state;

	private final ServerTraffic traffic = new ServerTraffic();

	PoolServer(String pool, String name, URI uri, int weight) {
		this.pool = pool;
		this.name = name;
		this.uri = uri;
		this.state = new ServerState(weight);
		this.port = (uri.getPort() != -1) ? uri.getPort() : (isSecure() ? 443 : 80);
		this.origin = uri.getScheme() + "://" + uri.getRawAuthority();
	}

	/** Scheme, host and port as the start of a URL, such as {@code http://app01:8080}. */
	String origin() {
		return this.origin;
	}

	/** What Junction knows of the server's health, and its admin state and weight. */
	public ServerState state() {
		return this.state;
	}

	/** What the server has been sent and answered. */
	public ServerTraffic traffic() {
		return this.traffic;
	}

	/** The server's name in its pool. */
	public String getName() {
		return this.name;
	}

	@Override
	public String getInstanceId() {
		return this.name;
	}

	@Override
	public String getServiceId() {
		return this.pool;
	}

	@Override
	public String getHost() {
		return this.uri.getHost();
	}

	@Override
	public int getPort() {
		return this.port;
	}

	@Override
	public boolean isSecure() {
		return "https".equals(this.uri.getScheme());
	}

	@Override
	public URI getUri() {
		return this.uri;
	}

	@Override
	public String getScheme() {
		return this.uri.getScheme();
	}

	@Override
	public Map<String, String> getMetadata() {
		return Map.of();
	}

	/**
	 * The server as the health endpoint and the admin endpoint show it: state, admin
	 * state, weight, URL and the last failure, if any.
	 */
	public Map<String, Object> details(long nanoTime) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", this.state.status(nanoTime));
		details.put("adminState", this.state.adminState().name());
		details.put("weight", this.state.weight());
		details.put("url", this.uri.toString());
		String lastFailure = this.state.lastFailure();
		if (lastFailure != null) {
			details.put("lastFailure", lastFailure);
		}
		return details;
	}

	@Override
	public String toString() {
		return this.pool + "/" + this.name + " " + this.uri;
	}

}

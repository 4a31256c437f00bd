package io.junction.pools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;

/**
 * The servers that already failed one request, kept as an exchange attribute so that the
 * load balancer never picks them again for that request.
 */
final class FailedServers {

	static final String ATTRIBUTE = FailedServers.class.getName();

	// A request fails on few servers (retries defaults to 2): a list beats a set here.
	private final List<PoolServer> servers = new ArrayList<>(2);

	void add(PoolServer server) {
		this.servers.add(server);
	}

	boolean contains(PoolServer server) {
		return this.servers.contains(server);
	}

	int size() {
		return this.servers.size();
	}

	/** The failed servers of the request being balanced, or null if none failed. */
	static @Nullable FailedServers of(Request<?> request) {
		if (request.getContext() instanceof RequestDataContext context && context.getClientRequest() != null) {
			Map<String, Object> attributes = context.getClientRequest().getAttributes();
			if (attributes != null && attributes.get(ATTRIBUTE) instanceof FailedServers failed) {
				return failed;
			}
		}
		return null;
	}

}

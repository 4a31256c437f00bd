package io.junction.balancing;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.Load;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool of one server that answers after a second and two fast ones, under 16 concurrent
 * clients: round robin gives the slow server its third of the requests, least-connections
 * sees the requests waiting on it and sends it far fewer.
 */
class LeastConnectionsIntegrationTests {

	private final List<TestAppServer> servers = TestAppServer.startAll("slow01", "fast01", "fast02");

	private final TestAppServer slow = this.servers.get(0).behave(TestAppServer.Behaviour.SLOW);

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void leastConnectionsSendsASlowServerLessThanHalfTheShareRoundRobinDoes() throws Exception {
		double roundRobin = slowShare("round-robin");
		double leastConnections = slowShare("least-connections");

		assertThat(roundRobin).as("slow server's share under round robin").isBetween(0.30, 0.37);
		assertThat(leastConnections)
			.as("slow server's share under least-connections, against round robin's %s", roundRobin)
			.isLessThan(roundRobin / 2);
	}

	/**
	 * The share of the requests of 16 client loops that {@code balance} sent the slow
	 * server, over the first 150 answers and several seconds of round robin.
	 */
	private double slowShare(String balance) throws Exception {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.add("junction.backends.app.balance=" + balance);
		int[] before = counts();
		try (RunningJunction junction = Startup.junction(Map.of("app", this.servers),
				properties.toArray(String[]::new))) {
			junction.management()
				.get()
				.uri("/actuator/health")
				.exchange()
				.expectBody()
				.jsonPath("$.components.pools.details.app.balance")
				.isEqualTo(balance);
			Load load = Load.start(URI.create("http://127.0.0.1:" + junction.port() + "/work"), 16);
			try {
				load.awaitSucceeded(150);
			}
			finally {
				load.close();
			}
			assertThat(load.failures()).isEmpty();
		}
		int[] after = counts();
		int total = 0;
		for (int i = 0; i < after.length; i++) {
			total += after[i] - before[i];
		}
		return (double) (after[0] - before[0]) / total;
	}

	private int[] counts() {
		int[] counts = new int[this.servers.size()];
		for (int i = 0; i < counts.length; i++) {
			this.servers.get(i).clear();
			counts[i] = this.servers.get(i).requestCount();
		}
		return counts;
	}

}

package io.junction.discovery;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.Load;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.discovery.TestDnsServer.Srv;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pool follows its servers through DNS, under load: an address that appears is checked
 * and then takes traffic, one that goes is drained without a failed request, and a DNS
 * server that stops answering, or says the name is gone, leaves the pool as it was.
 */
class DnsDiscoveryTests {

	private static final int CLIENTS = 16;

	private static final String SRV = "_http._tcp.app.test";

	private final TestDnsServer dns = new TestDnsServer();

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02", "app03");

	@AfterEach
	void stop() {
		this.servers.forEach(TestAppServer::close);
		this.dns.close();
	}

	@Test
	void poolFollowsSrvRecordsUnderLoadAndKeepsItsServersThroughADnsOutage() throws Exception {
		TestAppServer app01 = this.servers.get(0);
		TestAppServer app02 = this.servers.get(1);
		TestAppServer app03 = this.servers.get(2);
		for (TestAppServer server : this.servers) {
			this.dns.set(server.name() + ".test", List.of(InetAddress.getLoopbackAddress()));
		}
		this.dns.setSrv(SRV, List.of(srv(app01), srv(app02)));
		try (RunningJunction junction = Startup.junction(Map.of(),
				properties("junction.backends.app.discovery.dns=" + SRV))) {
			await().atMost(Duration.ofSeconds(10)).until(() -> available(junction) == 2);
			try (Load load = Load.start(URI.create("http://127.0.0.1:" + junction.port() + "/work"), CLIENTS)) {
				load.awaitSucceeded(500);

				// Added: checked first, then in rotation.
				this.dns.setSrv(SRV, List.of(srv(app01), srv(app02), srv(app03)));
				await().atMost(Duration.ofSeconds(10)).until(() -> workRequests(app03) > 50);
				assertThat(app03.receivedSoFar().get(0).uri()).as("first request to a new server").isEqualTo("/health");

				// Removed: drained, then sent nothing more.
				PoolServer removed = server(junction, app01);
				this.dns.setSrv(SRV, List.of(srv(app02), srv(app03)));
				await().atMost(Duration.ofSeconds(5)).until(() -> server(junction, app01) == null);
				await().atMost(Duration.ofSeconds(5)).until(() -> removed.traffic().current() == 0);
				long served = workRequests(app01);
				load.awaitSucceeded(500);
				assertThat(workRequests(app01)).isEqualTo(served);

				// Outage: no answer, then NXDOMAIN; the pool keeps app02 and app03.
				this.dns.silent(true);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> junction.scrape()
						.contains("junction_discovery_failures_total{pool=\"app\",reason=\"timeout\"}"));
				this.dns.silent(false);
				this.dns.remove(SRV);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> junction.scrape()
						.contains("junction_discovery_failures_total{pool=\"app\",reason=\"no-such-name\"}"));
				assertThat(junction.pool("app").servers()).extracting(PoolServer::getName)
					.containsExactlyInAnyOrder(SRV + "@127.0.0.1:" + app02.port(), SRV + "@127.0.0.1:" + app03.port());
				load.awaitSucceeded(500);
				assertThat(load.failures()).isEmpty();
			}
		}
	}

	@Test
	void addressRecordsGiveServersOnTheConfiguredPortBesideTheConfiguredOnes() throws Exception {
		TestAppServer app01 = this.servers.get(0);
		TestAppServer app02 = this.servers.get(1);
		this.dns.set("app.test", List.of(InetAddress.getLoopbackAddress()));
		try (RunningJunction junction = Startup.junction(Map.of("app", List.of(app01)),
				properties("junction.backends.app.discovery.dns=app.test",
						"junction.backends.app.discovery.port=" + app02.port()))) {
			await().atMost(Duration.ofSeconds(10)).until(() -> available(junction) == 2);
			Pool pool = junction.pool("app");
			assertThat(pool.servers()).extracting(PoolServer::getName)
				.containsExactly("app01", "app.test@127.0.0.1:" + app02.port());
			assertThat(pool.servers().get(1).getUri()).isEqualTo(URI.create(app02.url()));
			for (int i = 0; i < 4; i++) {
				junction.traffic().get().uri("/work").exchange().expectStatus().isOk();
			}
			assertThat(workRequests(app01)).isEqualTo(2);
			assertThat(workRequests(app02)).isEqualTo(2);
		}
	}

	private String[] properties(String... more) {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.add("junction.discovery.dns-servers=127.0.0.1:" + this.dns.address().getPort());
		properties.add("junction.backends.app.discovery.interval=200ms");
		properties.add("junction.backends.app.health-check.path=/health");
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

	private static int available(RunningJunction junction) {
		return junction.pool("app").availableCount(System.nanoTime());
	}

	private static PoolServer server(RunningJunction junction, TestAppServer server) {
		return junction.pool("app").server(SRV + "@127.0.0.1:" + server.port());
	}

	private static long workRequests(TestAppServer server) {
		return server.receivedSoFar().stream().filter((request) -> request.uri().equals("/work")).count();
	}

	private static Srv srv(TestAppServer server) {
		return new Srv(server.port(), server.name() + ".test");
	}

}

package io.junction.lifecycle;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.junction.Haproxy;
import io.junction.JunctionProcess;
import io.junction.Load;
import io.junction.TestAppServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's HA picture, end to end: two Junction processes behind a load balancer that
 * health-checks their readiness (HAProxy standing in for the ELB), under concurrent load.
 * A gateway asked to stop leaves without failing a request; a gateway killed outright
 * fails at most what was in flight to it.
 */
class BehindLoadBalancerIntegrationTests {

	private static final Log logger = LogFactory.getLog(BehindLoadBalancerIntegrationTests.class);

	private static final int CLIENTS = 16;

	private static final Duration DRAIN_DELAY = Duration.ofSeconds(3);

	private final List<TestAppServer> apps = new ArrayList<>();

	private final List<AutoCloseable> running = new ArrayList<>();

	@BeforeEach
	void requireHaproxy() {
		Assumptions.assumeTrue(Haproxy.isInstalled(),
				"HAProxy is not installed (apt-get install haproxy; .ci/run installs it): skipping the ELB tests");
		logger.info("HAProxy found: running the tests with two Junction processes behind it");
		for (int i = 1; i <= 3; i++) {
			this.apps.add(TestAppServer.start("app0" + i));
		}
	}

	@AfterEach
	void stopEverything() throws Exception {
		for (int i = this.running.size() - 1; i >= 0; i--) {
			this.running.get(i).close();
		}
		this.apps.forEach(TestAppServer::close);
	}

	@Test
	void gatewayAskedToStopUnderLoadFailsNoRequestAndExitsByItself() throws Exception {
		JunctionProcess first = started(JunctionProcess.start("j1", properties()));
		JunctionProcess second = started(JunctionProcess.start("j2", properties()));
		Haproxy elb = started(Haproxy.inFrontOf(first, second));
		Load load = started(Load.start(URI.create("http://127.0.0.1:" + elb.port() + "/work"), CLIENTS));
		load.awaitSucceeded(1_000);

		first.terminate();
		int exitCode = first.awaitExit(DRAIN_DELAY.plusSeconds(10));
		load.awaitSucceeded(1_000);

		assertThat(exitCode).as("exit code of the drained gateway").isIn(0, 143);
		assertThat(load.failures()).isEmpty();
		assertThat(first.output()).contains("draining: readiness down", "drained:");
		assertThat(elb.status("j1")).startsWith("DOWN");
	}

	@Test
	void gatewayKilledUnderLoadFailsAtMostWhatWasInFlightToIt() throws Exception {
		JunctionProcess first = started(JunctionProcess.start("j1", properties()));
		JunctionProcess second = started(JunctionProcess.start("j2", properties()));
		Haproxy elb = started(Haproxy.inFrontOf(first, second));
		Load load = started(Load.start(URI.create("http://127.0.0.1:" + elb.port() + "/work"), CLIENTS));
		load.awaitSucceeded(1_000);

		second.kill();
		elb.awaitStatus("j2", "DOWN");
		long down = System.nanoTime();
		load.awaitSucceeded(1_000);

		assertThat(load.failures()).as(() -> "failures, first ones: " + load.failures().stream().limit(5).toList())
			.hasSizeLessThanOrEqualTo(CLIENTS);
		assertThat(load.failuresSince(down)).isEmpty();
	}

	private List<String> properties() {
		List<String> properties = new ArrayList<>();
		properties.add("junction.shutdown.drain-delay=" + DRAIN_DELAY.toSeconds() + "s");
		properties.add("spring.cloud.gateway.server.webflux.routes[0].id=app");
		properties.add("spring.cloud.gateway.server.webflux.routes[0].uri=lb://app");
		properties.add("spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**");
		for (int i = 0; i < this.apps.size(); i++) {
			properties.add("junction.backends.app.servers[" + i + "].name=" + this.apps.get(i).name());
			properties.add("junction.backends.app.servers[" + i + "].url=" + this.apps.get(i).url());
		}
		return properties;
	}

	private <T extends AutoCloseable> T started(T closeable) {
		this.running.add(closeable);
		return closeable;
	}

}

package io.junction.admin;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.Load;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.pools.AdminState;
import io.junction.pools.ServerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DRAIN, MAINT and READY set on the management port, under continuing traffic: what
 * reaches the server, and whether its health checks go on.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServerAdminStateTests {

	private static final String CHECK_PATH = "/health";

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02");

	private final TestAppServer app02 = this.servers.get(1);

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void drainedServerGetsNoNewRequestsButIsStillCheckedAndReadyBringsItBack(CapturedOutput output)
			throws InterruptedException {
		try (RunningJunction junction = start(); Load load = load(junction)) {
			Admin.setState(junction, "app", "app02", "drain");
			// Requests chosen just before the change may still arrive: let them.
			load.awaitSucceeded(50);
			this.app02.clear();

			load.awaitSucceeded(300);
			await().atMost(Duration.ofSeconds(5)).until(() -> !checks(this.app02.receivedSoFar()).isEmpty());
			assertThat(traffic(this.app02.receivedSoFar())).isEmpty();
			assertThat(junction.server("app", this.app02).state().isUp()).isTrue();

			Admin.setState(junction, "app", "app02", "ready");
			await().atMost(Duration.ofSeconds(5)).until(() -> !traffic(this.app02.receivedSoFar()).isEmpty());
			assertThat(load.failures()).isEmpty();
			assertThat(output.getOut()).contains("backend app server app02: state READY -> DRAIN (asked by 127.0.0.1)")
				.contains("backend app server app02: state DRAIN -> READY (asked by 127.0.0.1)");
		}
	}

	@Test
	void serverInMaintenanceGetsNeitherRequestsNorChecksUntilReady(CapturedOutput output) throws InterruptedException {
		try (RunningJunction junction = start(); Load load = load(junction)) {
			ServerState state = junction.server("app", this.app02).state();
			Admin.setState(junction, "app", "app02", "maint");
			load.awaitSucceeded(50);
			this.app02.clear();
			int before = this.app02.requestCount();

			// Five check intervals without a single request, checks included.
			await().during(Duration.ofSeconds(1))
				.atMost(Duration.ofSeconds(3))
				.until(() -> this.app02.requestCount() == before);
			assertThat(state.adminState()).isEqualTo(AdminState.MAINT);

			Admin.setState(junction, "app", "app02", "ready");
			await().atMost(Duration.ofSeconds(5)).until(() -> !traffic(this.app02.receivedSoFar()).isEmpty());
			assertThat(state.isUp()).isTrue();
			assertThat(load.failures()).isEmpty();
			assertThat(output.getOut()).contains("backend app server app02: state READY -> MAINT (asked by 127.0.0.1)")
				.contains("backend app server app02: state MAINT -> READY, DOWN until its next check passes "
						+ "(asked by 127.0.0.1)");
		}
	}

	@Test
	void serverLeavingMaintenanceStaysOutWhileItsCheckFails() throws InterruptedException {
		try (RunningJunction junction = start(); Load load = load(junction)) {
			ServerState state = junction.server("app", this.app02).state();
			Admin.setState(junction, "app", "app02", "maint");
			this.app02.behave(TestAppServer.Behaviour.UNAVAILABLE);
			load.awaitSucceeded(50);

			Admin.setState(junction, "app", "app02", "ready");
			await().atMost(Duration.ofSeconds(2)).until(() -> !state.isCheckPending());
			this.app02.clear();
			load.awaitSucceeded(200);
			assertThat(traffic(this.app02.receivedSoFar())).isEmpty();
			assertThat(state.isUp()).isFalse();
			assertThat(load.failures()).isEmpty();
		}
	}

	private RunningJunction start() {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties
			.addAll(List.of("junction.admin.enabled=true", "junction.backends.app.health-check.path=" + CHECK_PATH,
					"junction.backends.app.health-check.interval=200ms",
					"junction.backends.app.health-check.timeout=100ms"));
		return Startup.junction(Map.of("app", this.servers), properties.toArray(String[]::new));
	}

	private static Load load(RunningJunction junction) throws InterruptedException {
		return Load.start(URI.create("http://127.0.0.1:" + junction.port() + "/work"), 2);
	}

	private static List<TestAppServer.Received> checks(List<TestAppServer.Received> received) {
		return received.stream().filter((request) -> request.uri().equals(CHECK_PATH)).toList();
	}

	private static List<TestAppServer.Received> traffic(List<TestAppServer.Received> received) {
		return received.stream().filter((request) -> !request.uri().equals(CHECK_PATH)).toList();
	}

}

package io.junction.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.Clients;
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
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code servers} endpoint: what it lists, what it refuses and why, and that it
 * answers on the management port only.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServersEndpointTests {

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02");

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void changesAreRefusedWhenAdminIsNotEnabled(CapturedOutput output) {
		try (RunningJunction junction = start()) {
			Admin.set(junction.management(), "app", "app02", Map.of("state", "maint"))
				.expectStatus()
				.isForbidden()
				.expectBody()
				.jsonPath("$.message")
				.isEqualTo("runtime admin is disabled: set junction.admin.enabled=true to change servers at run time");
			Admin.set(junction.management(), "app", "app02", Map.of("weight", 0)).expectStatus().isForbidden();

			ServerState state = junction.server("app", this.servers.get(1)).state();
			assertThat(state.adminState()).isEqualTo(AdminState.READY);
			assertThat(state.weight()).isEqualTo(1);
			assertThat(List.of(Clients.okBody(junction.traffic(), "/a"), Clients.okBody(junction.traffic(), "/b")))
				.containsExactlyInAnyOrder("app01", "app02");
			junction.management()
				.get()
				.uri("/actuator/servers")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.adminEnabled")
				.isEqualTo(false)
				.jsonPath("$.pools.app.servers.app02.adminState")
				.isEqualTo("READY");
			assertThat(output.getOut()).contains(
					"Refused to change backend app server app02 (asked by 127.0.0.1): junction.admin.enabled is false");
		}
	}

	@Test
	void listsEveryServerWithItsHealthAdminStateAndWeight() {
		try (RunningJunction junction = start("junction.admin.enabled=true",
				"junction.backends.app.servers[1].weight=7")) {
			Admin.setState(junction, "app", "app01", "drain");
			junction.management()
				.get()
				.uri("/actuator/servers")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.adminEnabled")
				.isEqualTo(true)
				.jsonPath("$.pools.app.servers.app01.state")
				.isEqualTo("UP")
				.jsonPath("$.pools.app.servers.app01.adminState")
				.isEqualTo("DRAIN")
				.jsonPath("$.pools.app.servers.app01.weight")
				.isEqualTo(1)
				.jsonPath("$.pools.app.servers.app02.adminState")
				.isEqualTo("READY")
				.jsonPath("$.pools.app.servers.app02.weight")
				.isEqualTo(7)
				.jsonPath("$.pools.app.servers.app02.url")
				.isEqualTo(this.servers.get(1).url());
		}
	}

	@Test
	void adminStateAndWeightShowInHealthAndMetrics() {
		try (RunningJunction junction = start("junction.admin.enabled=true")) {
			Admin.setState(junction, "app", "app02", "maint");
			Admin.setWeight(junction, "app", "app01", 4);
			junction.management()
				.get()
				.uri("/actuator/health")
				.exchange()
				.expectBody()
				.jsonPath("$.components.pools.details.app.servers.app02.adminState")
				.isEqualTo("MAINT")
				.jsonPath("$.components.pools.details.app.servers.app01.weight")
				.isEqualTo(4)
				.jsonPath("$.components.pools.details.app.available")
				.isEqualTo("1 of 2");
			assertThat(junction.scrape())
				.contains("junction_server_admin_state{pool=\"app\",server=\"app02\",state=\"MAINT\"} 1.0")
				.contains("junction_server_admin_state{pool=\"app\",server=\"app02\",state=\"READY\"} 0.0")
				.contains("junction_server_admin_state{pool=\"app\",server=\"app01\",state=\"READY\"} 1.0")
				.contains("junction_server_weight{pool=\"app\",server=\"app01\"} 4.0")
				.contains("junction_server_available{pool=\"app\",server=\"app02\"} 0.0");
		}
	}

	@Test
	void unknownPoolOrServerIsNotFoundAndBadValuesAreBadRequests() {
		try (RunningJunction junction = start("junction.admin.enabled=true")) {
			Admin.set(junction.management(), "nope", "app01", Map.of("state", "drain"))
				.expectStatus()
				.isNotFound()
				.expectBody()
				.jsonPath("$.message")
				.isEqualTo("no pool 'nope'");
			Admin.set(junction.management(), "app", "app09", Map.of("state", "drain"))
				.expectStatus()
				.isNotFound()
				.expectBody()
				.jsonPath("$.message")
				.isEqualTo("no server 'app09' in pool 'app'");
			Admin.set(junction.management(), "app", "app01", Map.of("state", "off"))
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.message")
				.isEqualTo("state 'off' is not one of ready, drain, maint");
			Admin.set(junction.management(), "app", "app01", Map.of("weight", 257))
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.message")
				.isEqualTo("weight '257' is not a whole number from 0 to 256");
			Admin.set(junction.management(), "app", "app01", Map.of("weight", "heavy")).expectStatus().isBadRequest();
			Admin.set(junction.management(), "app", "app01", Map.of())
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.message")
				.isEqualTo("give a state (ready, drain or maint), a weight (0 to 256), or both");
			// A bad weight leaves a good state in the same request undone.
			Admin.set(junction.management(), "app", "app01", Map.of("state", "drain", "weight", -1))
				.expectStatus()
				.isBadRequest();
			ServerState state = junction.server("app", this.servers.get(0)).state();
			assertThat(state.adminState()).isEqualTo(AdminState.READY);
			assertThat(state.weight()).isEqualTo(1);
		}
	}

	@Test
	void stateAndWeightCanBeSetTogetherAsQueryParameters(CapturedOutput output) {
		try (RunningJunction junction = start("junction.admin.enabled=true")) {
			junction.management()
				.post()
				.uri("/actuator/servers/app/app02?state=drain&weight=3")
				.contentType(MediaType.APPLICATION_JSON)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.adminState")
				.isEqualTo("DRAIN")
				.jsonPath("$.weight")
				.isEqualTo(3);
			assertThat(output.getOut())
				.contains("backend app server app02: state READY -> DRAIN, weight 1 -> 3 (asked by 127.0.0.1)");
		}
	}

	@Test
	void nothingOfItAnswersOnTheTrafficPort() {
		try (RunningJunction junction = start("junction.admin.enabled=true")) {
			junction.traffic()
				.post()
				.uri("/actuator/servers/app/app02")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("state", "maint"))
				.exchange()
				.expectStatus()
				.isOk();
			TestAppServer.Received received = TestAppServer.takeFromOne(this.servers);
			assertThat(received.uri()).isEqualTo("/actuator/servers/app/app02");
			assertThat(received.body()).contains("maint");
			assertThat(junction.server("app", this.servers.get(1)).state().adminState()).isEqualTo(AdminState.READY);

			String body = Clients.okBody(junction.traffic(), "/actuator/servers");
			assertThat(body).isIn("app01", "app02");
			assertThat(TestAppServer.takeFromOne(this.servers).uri()).isEqualTo("/actuator/servers");
		}
	}

	private RunningJunction start(String... properties) {
		List<String> all = new ArrayList<>(Startup.routeEverythingTo("app"));
		// No checks: only what a test sends reaches the servers.
		all.add("junction.backends.app.health-check.enabled=false");
		all.addAll(List.of(properties));
		return Startup.junction(Map.of("app", this.servers), all.toArray(String[]::new));
	}

}

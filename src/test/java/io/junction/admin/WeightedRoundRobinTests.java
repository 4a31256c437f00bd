package io.junction.admin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.junction.Clients;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Weights set in configuration or at run time split a pool's requests in their ratio,
 * interleaved rather than in bursts.
 */
class WeightedRoundRobinTests {

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02", "app03");

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void weightsThreeToOneSplitRequestsThreeToOneInterleaved() {
		try (RunningJunction junction = start("junction.backends.app.servers[0].weight=3",
				"junction.backends.app.servers[1].weight=1", "junction.backends.app.servers[2].weight=0")) {
			List<String> answers = send(junction, 40);
			assertThat(Collections.frequency(answers, "app01")).isEqualTo(30);
			assertThat(Collections.frequency(answers, "app02")).isEqualTo(10);
			assertThat(answers).doesNotContain("app03");
			// Smooth: app02 takes one turn in every four in a row, wherever they start.
			for (int i = 0; i + 4 <= answers.size(); i++) {
				assertThat(Collections.frequency(answers.subList(i, i + 4), "app02")).as("requests %d to %d", i, i + 3)
					.isEqualTo(1);
			}
		}
	}

	@Test
	void weightSetAtRunTimeChangesTheSplitAndZeroStopsNewRequests() {
		try (RunningJunction junction = start("junction.admin.enabled=true")) {
			assertThat(send(junction, 6)).containsExactly("app01", "app02", "app03", "app01", "app02", "app03");

			Admin.setWeight(junction, "app", "app01", 2);
			List<String> answers = send(junction, 40);
			assertThat(Collections.frequency(answers, "app01")).isEqualTo(20);
			assertThat(Collections.frequency(answers, "app02")).isEqualTo(10);
			assertThat(Collections.frequency(answers, "app03")).isEqualTo(10);

			Admin.setWeight(junction, "app", "app01", 0);
			assertThat(send(junction, 20)).doesNotContain("app01").hasSize(20);
		}
	}

	@Test
	void equalWeightsAboveOneKeepStrictRoundRobin() {
		try (RunningJunction junction = start("junction.backends.app.servers[0].weight=5",
				"junction.backends.app.servers[1].weight=5", "junction.backends.app.servers[2].weight=5")) {
			List<String> answers = send(junction, 9);
			int first = List.of("app01", "app02", "app03").indexOf(answers.get(0));
			for (int i = 0; i < answers.size(); i++) {
				assertThat(answers.get(i)).isEqualTo(this.servers.get((first + i) % 3).name());
			}
		}
	}

	private RunningJunction start(String... properties) {
		List<String> all = new ArrayList<>(Startup.routeEverythingTo("app"));
		// No checks: nothing but the weights decides who gets a request.
		all.add("junction.backends.app.health-check.enabled=false");
		all.addAll(List.of(properties));
		return Startup.junction(Map.of("app", this.servers), all.toArray(String[]::new));
	}

	private static List<String> send(RunningJunction junction, int requests) {
		List<String> answers = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			answers.add(Clients.okBody(junction.traffic(), "/weighted"));
		}
		return answers;
	}

}

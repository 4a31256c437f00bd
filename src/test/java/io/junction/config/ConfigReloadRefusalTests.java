package io.junction.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.Clients;
import io.junction.ConfigurationProblem;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bad file changes nothing: each kind of bad configuration that start-up refuses is
 * refused on reload with the same problems, the configuration in place keeps serving, and
 * the refusal is in the log, the metric, {@code /actuator/config}, health and the stats
 * page. Readiness stays UP.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigReloadRefusalTests {

	private static final String POOL = "junction.backends.app";

	private static final String ROUTE = "spring.cloud.gateway.server.webflux.routes[0]";

	private final TestAppServer app01 = TestAppServer.start("app01");

	@TempDir
	Path directory;

	@TempDir
	Path startUpDirectory;

	@AfterEach
	void stopServer() {
		this.app01.close();
	}

	/** Each kind of bad configuration: a name and the lines that make it bad. */
	static List<Bad> cases() {
		return List.of(new Bad("an unknown pool key", List.of(POOL + ".helth-check.interval=2s")),
				new Bad("an unknown top-level key", List.of("junction.send-proxy=v2")),
				new Bad("an unknown route field", List.of(ROUTE + ".predicate[0]=Path=/**")),
				new Bad("an unknown predicate", List.of(ROUTE + ".predicates[1]=Pathh=/**")),
				new Bad("an unknown filter", List.of(ROUTE + ".filters[0]=RewritePaht=/a, /b")),
				new Bad("a value that does not bind", List.of(POOL + ".health-check.interval=often")),
				new Bad("a server URL that is not one",
						List.of(POOL + ".servers[1].name=app02", POOL + ".servers[1].url=ftp://127.0.0.1:21")),
				new Bad("a weight out of range", List.of(POOL + ".servers[0].weight=300")),
				new Bad("a route to a pool that does not exist",
						List.of("spring.cloud.gateway.server.webflux.routes[1].id=other",
								"spring.cloud.gateway.server.webflux.routes[1].uri=lb://nope",
								"spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/other/**")),
				new Bad("a rewrite that is not a regex",
						List.of(ROUTE + ".filters[0]=RewritePath=/(?<rest.*, /${rest}")),
				new Bad("several problems at once",
						List.of(POOL + ".servers[0].weight=300", "junction.send-proxy=v2")));
	}

	@Test
	void eachBadFileIsRefusedWithTheStartUpProblemsAndTheOldRoutesServe(CapturedOutput output) throws Exception {
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.properties");
		config.renameOver(valid());
		try (RunningJunction junction = Startup.junction(Map.of(), config.location())) {
			ConfigurationReloader reloader = junction.bean(ConfigurationReloader.class);
			String version = reloader.loaded().version();
			int rejections = 0;
			for (Bad bad : cases()) {
				List<ConfigurationProblem> atStartUp = startUpProblems(bad);
				ConfigurationReloader.Rejected before = reloader.lastRejected();
				config.renameOver(bad.lines(valid()));
				await().atMost(Duration.ofSeconds(5)).until(() -> reloader.lastRejected() != before);
				rejections++;
				ConfigurationReloader.Rejected rejected = reloader.lastRejected();
				assertThat(rejected.problems()).as(bad.name()).containsExactlyElementsOf(atStartUp);
				assertThat(reloader.loaded().version()).isEqualTo(version);
				junction.traffic().get().uri("/a/still").exchange().expectStatus().isOk();
				String line = "Configuration " + rejected.version() + " rejected, " + version + " still serves: "
						+ String.join("; ", atStartUp.stream().map(ConfigurationProblem::toString).toList());
				assertThat(output.getOut()).as(bad.name()).contains(line);
				String problem = atStartUp.get(0).toString();
				assertThat(Clients.okBody(junction.management(), "/actuator/config")).contains(problem);
				assertThat(Clients.okBody(junction.management(), "/actuator/health")).contains(problem);
				assertThat(Clients.okBody(junction.management(), "/junction/stats")).contains(problem);
			}
			assertThat(junction.scrape())
				.contains("junction_config_reloads_total{result=\"rejected\"} " + rejections + ".0")
				.contains("junction_config_reloads_total{result=\"applied\"} 0.0");
			junction.management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		}
	}

	@Test
	void fileThatCannotBeParsedIsRefusedAndTheOldRoutesServe() throws Exception {
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.yml");
		config.renameOver(List.of("junction:", "  backends:", "    app:", "      servers:", "        - name: app01",
				"          url: " + this.app01.url(), "spring.cloud.gateway.server.webflux.routes:", "  - id: a",
				"    uri: lb://app", "    predicates: [ Path=/a/** ]"));
		try (RunningJunction junction = Startup.junction(Map.of(), config.location())) {
			ConfigurationReloader reloader = junction.bean(ConfigurationReloader.class);
			config.renameOver(List.of("junction:", "  backends:", "    app: [ unclosed"));
			await().atMost(Duration.ofSeconds(5)).until(() -> reloader.lastRejected() != null);
			assertThat(reloader.lastRejected().problems()).singleElement().satisfies((problem) -> {
				assertThat(problem.key()).isEqualTo(config.file().toString());
				assertThat(problem.reason()).startsWith("cannot be read: ");
			});
			junction.traffic().get().uri("/a/still").exchange().expectStatus().isOk();
		}
	}

	private List<ConfigurationProblem> startUpProblems(Bad bad) throws Exception {
		Path file = this.startUpDirectory.resolve("junction.properties");
		Files.write(file, bad.lines(valid()));
		return Startup.refusal("spring.config.additional-location=file:" + file).getProblems();
	}

	private List<String> valid() {
		return List.of(POOL + ".servers[0].name=app01", POOL + ".servers[0].url=" + this.app01.url(), ROUTE + ".id=a",
				ROUTE + ".uri=lb://app", ROUTE + ".predicates[0]=Path=/a/**");
	}

	record Bad(String name, List<String> extra) {

		List<String> lines(List<String> valid) {
			List<String> lines = new ArrayList<>(valid);
			lines.addAll(this.extra);
			return lines;
		}

	}

}

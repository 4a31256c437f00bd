package io.junction.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.ConfigurationProblem;
import io.junction.InvalidConfigurationException;
import io.junction.RunningJunction;
import io.junction.Startup;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A key Junction does not know is refused, not ignored, naming the key and the nearest
 * known one: at start-up, on reload and by {@code check}, with the same message.
 */
class UnknownKeysTests {

	private static final String FOO = "junction.backends.services-foo-v1";

	private static final String ROUTE = "spring.cloud.gateway.server.webflux.routes[0]";

	private static final List<String> VALID = List.of(FOO + ".servers[0].name=app01",
			FOO + ".servers[0].url=http://127.0.0.1:19001", ROUTE + ".id=foo", ROUTE + ".uri=lb://services-foo-v1",
			ROUTE + ".predicates[0]=Path=/**");

	@TempDir
	Path directory;

	/** Each case: the bad property, the key refused, the start of the reason. */
	static List<Case> cases() {
		return List.of(
				new Case("a pool key", FOO + ".helth-check.interval=2s", FOO + ".helth-check",
						"unknown key; did you mean " + FOO + ".health-check?"),
				new Case("a server key", FOO + ".servers[0].wieght=3", FOO + ".servers[0].wieght",
						"unknown key; did you mean " + FOO + ".servers[0].weight?"),
				new Case("a top-level key", "junction.send-proxy=v2", "junction.send-proxy",
						"unknown key; junction takes: "),
				new Case("a route field", ROUTE + ".predicate[0]=Path=/**", ROUTE + ".predicate",
						"unknown key; did you mean " + ROUTE + ".predicates?"),
				new Case("a predicate name", ROUTE + ".predicates[0]=Pathh=/**", ROUTE + ".predicates[0].name",
						"route 'foo': no predicate is called 'Pathh'; did you mean Path?"),
				new Case("a filter name", ROUTE + ".filters[0]=RewritePaht=/a, /b", ROUTE + ".filters[0].name",
						"route 'foo': no filter is called 'RewritePaht'; did you mean RewritePath?"),
				new Case("a filter argument", ROUTE + ".filters[0].name=StripPrefix", ROUTE + ".filters[0].args.prats",
						"route 'foo': filter StripPrefix takes no argument 'prats'; did you mean parts?"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void unknownKeyIsRefusedAtStartUp(Case unknown) {
		InvalidConfigurationException refusal = Startup.refusal(unknown.properties().toArray(String[]::new));
		assertThat(refusal.getProblems()).singleElement().satisfies((problem) -> unknown.isNamedBy(problem));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void unknownKeyIsRefusedByCheck(Case unknown) throws IOException {
		Path file = this.directory.resolve("junction.properties");
		Files.write(file, unknown.properties());
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int status = CheckCommand.run(List.of(file.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
				System.err);
		assertThat(status).isEqualTo(CheckCommand.PROBLEMS);
		assertThat(out.toString(StandardCharsets.UTF_8)).startsWith(unknown.key() + ": " + unknown.reason())
			.endsWith("1 problem found" + System.lineSeparator());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void unknownKeyIsRefusedOnReload(Case unknown) {
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.properties");
		config.renameOver(VALID);
		try (RunningJunction junction = Startup.junction(Map.of(), config.location())) {
			ConfigurationReloader reloader = junction.bean(ConfigurationReloader.class);
			String version = reloader.loaded().version();
			config.renameOver(unknown.properties());
			await().atMost(Duration.ofSeconds(5)).until(() -> reloader.lastRejected() != null);
			assertThat(reloader.lastRejected().problems()).singleElement()
				.satisfies((problem) -> unknown.isNamedBy(problem));
			assertThat(reloader.loaded().version()).isEqualTo(version);
		}
	}

	record Case(String name, String property, String key, String reason) {

		List<String> properties() {
			List<String> all = new ArrayList<>(VALID);
			if (this.property.startsWith(ROUTE + ".predicates[0]")) {
				all.remove(ROUTE + ".predicates[0]=Path=/**");
			}
			if (this.property.startsWith(ROUTE + ".filters[0].name")) {
				all.add(this.property);
				all.add(ROUTE + ".filters[0].args.prats=1");
			}
			else {
				all.add(this.property);
			}
			return all;
		}

		void isNamedBy(ConfigurationProblem problem) {
			assertThat(problem.key()).isEqualTo(this.key);
			assertThat(problem.reason()).startsWith(this.reason);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}

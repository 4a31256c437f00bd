package io.junction.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.junction.MainProcess;
import io.junction.config.CheckCommand;
import io.junction.routetest.RouteTestCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code import-haproxy}: the seed's haproxy.cfg becomes examples/seed.yml's routes and
 * pools; every converted config passes {@code check}; lines left out are listed with
 * their numbers and the exit status says whether there were any.
 */
class ImportHaproxyCommandTests {

	@TempDir
	Path directory;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@Test
	void seedConvertsToTheRoutesAndServersOfExamplesSeedYml() throws IOException {
		assertThat(run("src/test/resources/haproxy/seed.cfg")).isEqualTo(ImportHaproxyCommand.OK);
		assertThat(err()).isEmpty();
		Map<String, Object> converted = ConvertedConfigs.yaml(out());
		Map<String, Object> seed = ConvertedConfigs.yaml(Files.readString(Path.of("examples/seed.yml")));
		assertThat(ConvertedConfigs.routes(converted)).isEqualTo(ConvertedConfigs.routes(seed));
		Map<String, Map<String, Object>> pools = ConvertedConfigs.pools(converted);
		assertThat(pools.keySet()).containsExactlyElementsOf(ConvertedConfigs.pools(seed).keySet());
		ConvertedConfigs.pools(seed).forEach((name, pool) -> {
			assertThat(pools.get(name).get("servers")).isEqualTo(pool.get("servers"));
			// What the hand-written seed.yml leaves to Junction's defaults.
			assertThat(pools.get(name)).containsEntry("connect-timeout", "5000ms")
				.containsEntry("response-timeout", "50000ms")
				.doesNotContainKey("health-check");
		});
		// bind *:80: Junction keeps 8080, which uid 10001 may listen on.
		assertThat(converted).doesNotContainKey("server");
		assertThat(ConvertedConfigs.at(converted, "junction", "limits", "idle-timeout")).isEqualTo("50000ms");
	}

	@Test
	void routesAndPoolsNameTheLinesTheyCameFrom() {
		run("src/test/resources/haproxy/seed.cfg");
		assertThat(out()).contains("""
				    # line 16: backend services-foo-v1
				    services-foo-v1:
				""", """
				            # line 11: acl services-foo-v1 path_reg ^/services/foo/v1/
				            # line 13: use_backend services-foo-v1 if services-foo-v1
				            # line 17: reqrep ^([^\\ :]*)\\ /services/foo/v1/(.*) \\1\\ /\\2
				            - id: services-foo-v1
				""", """
				            # line 15: default_backend website
				            - id: website
				""");
	}

	@ParameterizedTest
	@ValueSource(strings = { "seed", "hosts", "conditions", "rewrites", "defaults", "pools", "unconvertible",
			"short-checks" })
	void convertedConfigurationPassesJunctionsCheck(String name) throws IOException {
		Path yaml = this.directory.resolve(name + ".yml");
		run("src/test/resources/haproxy/" + name + ".cfg", "-o", yaml.toString());
		assertThat(this.out.size()).isZero();
		ByteArrayOutputStream checkOut = new ByteArrayOutputStream();
		int status = CheckCommand.run(List.of(yaml.toString()), new PrintStream(checkOut, true, StandardCharsets.UTF_8),
				new PrintStream(checkOut, true, StandardCharsets.UTF_8));
		assertThat(status).as(checkOut.toString(StandardCharsets.UTF_8) + Files.readString(yaml))
			.isEqualTo(CheckCommand.OK);
	}

	// Cases written from HAProxy's semantics, run through Junction's real routing.
	@ParameterizedTest
	@ValueSource(strings = { "hosts", "conditions", "rewrites" })
	void convertedRoutesRouteAsHaproxyDoes(String name) {
		assertRouteCases(name, "src/test/resources/haproxy/" + name + "-cases.yml");
	}

	@Test
	void seedConversionPassesTheSeedsRouteCases() {
		assertRouteCases("seed", "examples/route-cases.yml");
	}

	private void assertRouteCases(String name, String cases) {
		Path yaml = this.directory.resolve(name + ".yml");
		run("src/test/resources/haproxy/" + name + ".cfg", "-o", yaml.toString());
		ByteArrayOutputStream routeTestOut = new ByteArrayOutputStream();
		PrintStream print = new PrintStream(routeTestOut, true, StandardCharsets.UTF_8);
		int status = RouteTestCommand.run(List.of(yaml.toString(), "--cases", cases), print, print);
		assertThat(status).as(routeTestOut.toString(StandardCharsets.UTF_8)).isZero();
	}

	@Test
	void linesLeftOutAreListedWithTheirNumbersAndExitOne() {
		assertThat(run("src/test/resources/haproxy/unconvertible.cfg")).isEqualTo(ImportHaproxyCommand.LINES_LEFT_OUT);
		assertThat(err().lines()
			.filter((line) -> line.contains(": not converted: "))
			.map((line) -> line.substring(line.indexOf(".cfg:") + 5, line.indexOf(": not converted"))))
			.containsExactly("7", "10", "15", "16", "19", "20", "21", "22", "27", "28", "29", "30", "31", "34", "37",
					"38", "39", "40");
		assertThat(err())
			.contains("unconvertible.cfg:21: not converted: use_backend api if api !old_client\n"
					+ "    line 18: a negated method test has no Junction predicate"
					+ " (waits for: negated header/method conditions)")
			.contains("unconvertible.cfg:20: not converted: http-request redirect prefix /new if { path_beg /old/ }\n"
					+ "    http-request redirect has no Junction equivalent (waits for: redirect routes")
			.contains("unconvertible.cfg:30: not converted: server a2 10.5.0.2:80 disabled\n"
					+ "    disabled (MAINT at start-up) is written as weight 0")
			.endsWith("18 lines not converted\n");
		// The YAML is written all the same, with what did convert.
		assertThat(ConvertedConfigs.routeLines(ConvertedConfigs.yaml(out())))
			.containsExactly("api lb://api [PathRegex=^/api/]", "web lb://web [Path=/**]");
		assertThat(out()).contains("# Not converted:\n#   line 7: option httplog\n");
	}

	@Test
	void missingFileIsAUsageError() {
		assertThat(run("no-such.cfg")).isEqualTo(ImportHaproxyCommand.USAGE);
		assertThat(err()).startsWith("no-such.cfg: cannot be read");
	}

	@Test
	void noFileOrAnUnknownOptionIsAUsageError() {
		assertThat(run()).isEqualTo(ImportHaproxyCommand.USAGE);
		assertThat(run("a.cfg", "--yaml")).isEqualTo(ImportHaproxyCommand.USAGE);
		assertThat(run("a.cfg", "-o")).isEqualTo(ImportHaproxyCommand.USAGE);
		assertThat(err()).startsWith("usage: java -jar junction.jar import-haproxy haproxy.cfg [-o junction.yml]");
	}

	@Test
	void unterminatedQuoteIsAUsageErrorNamingTheLine() throws IOException {
		Path file = Files.writeString(this.directory.resolve("bad.cfg"), "backend a\n  server a \"10.0.0.1:80\n");
		assertThat(run(file.toString())).isEqualTo(ImportHaproxyCommand.USAGE);
		assertThat(err()).contains("line 2: unterminated quote");
	}

	@Test
	void mainRunsImportHaproxyAndExitsWithItsStatus() throws Exception {
		assertThat(MainProcess.exitStatus("import-haproxy", "src/test/resources/haproxy/seed.cfg")).isZero();
		assertThat(MainProcess.exitStatus("import-haproxy", "src/test/resources/haproxy/unconvertible.cfg"))
			.isEqualTo(ImportHaproxyCommand.LINES_LEFT_OUT);
		assertThat(MainProcess.exitStatus("import-haproxy")).isEqualTo(ImportHaproxyCommand.USAGE);
	}

	private int run(String... args) {
		return ImportHaproxyCommand.run(List.of(args), new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

}

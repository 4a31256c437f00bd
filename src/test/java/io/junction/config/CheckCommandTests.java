package io.junction.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.junction.MainProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check} reports every problem of a configuration with the start-up messages,
 * exits 1 on any, and 0 with a summary on a good one, starting nothing.
 */
class CheckCommandTests {

	private static final String FOO = "junction.backends.services-foo-v1";

	private static final String ROUTE = "spring.cloud.gateway.server.webflux.routes[0]";

	@TempDir
	Path directory;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@Test
	void seedConfigurationIsValid() {
		assertThat(check("examples/seed.yml")).isEqualTo(CheckCommand.OK);
		assertThat(out()).isEqualTo("OK: 3 routes, 3 pools, 7 servers" + System.lineSeparator());
	}

	@Test
	void demoConfigurationIsValid() {
		assertThat(check("--spring.profiles.active=demo")).isEqualTo(CheckCommand.OK);
		assertThat(out()).startsWith("OK: ");
	}

	@Test
	void everyProblemIsReportedWithTheStartUpMessage() throws IOException {
		Path file = write("bad.yml", """
				junction:
				  backends:
				    services-foo-v1:
				      servers: []
				    services-bar-v1:
				      helth-check:
				        interval: 2s
				      servers:
				        - {name: app01, url: "app01.example.com:123"}
				spring.cloud.gateway.server.webflux.routes:
				  - id: foo
				    uri: lb://nope
				    predicates:
				      - PathRegex=^/services/(foo
				""");
		assertThat(check(file.toString())).isEqualTo(CheckCommand.PROBLEMS);
		assertThat(out().lines()).containsExactly(
				"junction.backends.services-bar-v1.helth-check: unknown key; did you mean "
						+ "junction.backends.services-bar-v1.health-check?",
				FOO + ".servers: pool 'services-foo-v1' has no servers; list at least one",
				"junction.backends.services-bar-v1.servers[0].url: 'app01.example.com:123' is not an absolute "
						+ "http(s) URL, such as http://10.0.0.1:8080",
				ROUTE + ".uri: route 'foo': lb://nope names no backend; configured under junction.backends: "
						+ "[services-foo-v1, services-bar-v1]",
				ROUTE + ".predicates[0]: route 'foo': PathRegex '^/services/(foo' does not compile: "
						+ "Unclosed group near index 15",
				"5 problems found");
	}

	@Test
	void valueThatDoesNotBindIsReportedNamingTheKey() throws IOException {
		Path file = write("bad.properties", FOO + ".servers[0].name=app01\n" + FOO
				+ ".servers[0].url=http://127.0.0.1:19001\n" + FOO + ".health-check.interval=often\n");
		assertThat(check(file.toString())).isEqualTo(CheckCommand.PROBLEMS);
		assertThat(out()).startsWith(FOO + ".health-check.interval: 'often' cannot be read as a duration");
	}

	@Test
	void missingFileIsAProblem() {
		assertThat(check("no-such.yml")).isEqualTo(CheckCommand.PROBLEMS);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).contains("no-such.yml: no such file");
	}

	@Test
	void fileThatIsNotYamlIsAProblem() throws IOException {
		Path file = write("broken.yml", "junction:\n  backends: [unclosed\n");
		assertThat(check(file.toString())).isEqualTo(CheckCommand.PROBLEMS);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).startsWith("cannot read the configuration");
	}

	@Test
	void noFileIsAUsageError() {
		assertThat(check()).isEqualTo(CheckCommand.USAGE);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).startsWith("usage:");
	}

	// Junction would fail to start on a port that is taken; check opens none.
	@Test
	void checkStartsNoServer() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			assertThat(check("examples/seed.yml", "--server.port=" + taken.getLocalPort(),
					"--management.server.port=" + taken.getLocalPort()))
				.isEqualTo(CheckCommand.OK);
		}
	}

	@Test
	void mainRunsCheckAndExitsWithItsStatus() throws Exception {
		Path bad = write("bad.properties", FOO + ".servers=\n");
		assertThat(MainProcess.exitStatus("check", "examples/seed.yml")).isZero();
		assertThat(MainProcess.exitStatus("check", bad.toString())).isEqualTo(CheckCommand.PROBLEMS);
	}

	private Path write(String name, String content) throws IOException {
		return Files.writeString(this.directory.resolve(name), content);
	}

	private int check(String... args) {
		return CheckCommand.run(List.of(args), new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

}

package io.junction.routetest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code route-test} on the demo's configuration and the cases file in the repository,
 * and on cases that do not hold: Junction really routes each request, to echo servers.
 */
class RouteTestCommandTests {

	private static final String DEMO = "src/main/resources/application-demo.yml";

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@TempDir
	Path directory;

	@Test
	void theDemoConfigurationPassesTheCasesFileOfTheRepository() {
		int status = run(DEMO, "--cases", "examples/route-cases.yml");

		assertThat(output()).contains("10 cases: 10 passed, 0 failed").doesNotContain("FAIL");
		assertThat(status).as(output() + errors()).isEqualTo(RouteTestCommand.OK);
	}

	@Test
	void aCaseThatDoesNotHoldFailsWithWhatWasExpectedAndWhatHappened() throws IOException {
		Path cases = write("cases.yml", """
				cases:
				  - request: GET /services/foo/v1/hello
				    route: services-foo-v1
				    path: /hello
				  - request: GET /services/foo/v1/hello?x=1
				    route: services-bar-v1
				    pool: services-bar-v1
				    path: /services/foo/v1/hello?x=1
				  - request: GET /nowhere
				    route: none
				""");

		int status = run(DEMO, "--cases", cases.toString());

		assertThat(status).isEqualTo(RouteTestCommand.FAILED);
		assertThat(output()).contains("ok    cases.yml:2  GET /services/foo/v1/hello")
			.contains("FAIL  cases.yml:5  GET /services/foo/v1/hello?x=1")
			.contains("route:  expected services-bar-v1")
			.contains("but got  services-foo-v1")
			.contains("pool:   expected services-bar-v1")
			.contains("path:   expected /services/foo/v1/hello?x=1")
			.contains("but got  /hello?x=1")
			// The demo routes everything else to the website: no 404.
			.contains("FAIL  cases.yml:9  GET /nowhere")
			.contains("status: expected 404")
			.contains("3 cases: 1 passed, 2 failed");
	}

	@Test
	void hostsAndHeadersReachTheRoutesPredicates() throws IOException {
		Path config = write("hosts.yml", """
				junction:
				  backends:
				    api:
				      servers:
				        - {name: api01, url: "http://api01.example.com:8080"}
				    admin:
				      servers:
				        - {name: admin01, url: "http://admin01.example.com:8080"}
				spring.cloud.gateway.server.webflux.routes:
				  - id: admin
				    uri: lb://admin
				    predicates: [ "Host=admin.example.com", "Header=X-Admin, yes" ]
				  - id: api
				    uri: lb://api
				    predicates: [ "Path=/api/**" ]
				""");
		Path cases = write("cases.yml", """
				cases:
				  - request: DELETE /api/users/7
				    host: admin.example.com
				    headers: {X-Admin: "yes"}
				    route: admin
				    pool: admin
				    path: /api/users/7
				  - request: DELETE /api/users/7
				    host: admin.example.com
				    route: api
				    pool: api
				  - request: GET /other
				    route: none
				""");

		int status = run(config.toString(), "--cases", cases.toString());

		assertThat(status).as(output() + errors()).isEqualTo(RouteTestCommand.OK);
		assertThat(output()).contains("3 cases: 3 passed, 0 failed");
	}

	@Test
	void aCasesFileWithAnUnknownKeyIsRefusedNamingItsLine() throws IOException {
		Path cases = write("cases.yml", """
				cases:
				  - request: GET /
				    route: website
				  - request: GET /x
				    rout: website
				""");

		int status = run(DEMO, "--cases", cases.toString());

		assertThat(status).isEqualTo(RouteTestCommand.USAGE);
		assertThat(errors()).contains("cases.yml:4: unknown key 'rout'");
	}

	@Test
	void aConfigurationJunctionRefusesFailsTheTestNamingTheKey() throws IOException {
		Path config = write("bad.yml", """
				junction.backends.app.servers:
				  - {name: app01, url: "http://app01.example.com:8080", weight: 300}
				""");
		Path cases = write("cases.yml", "cases:\n  - request: GET /\n    status: 404\n");

		int status = run(config.toString(), "--cases", cases.toString());

		assertThat(status).isEqualTo(RouteTestCommand.FAILED);
		assertThat(errors()).contains("did not start").contains("junction.backends.app.servers[0].weight");
	}

	@Test
	void withoutACasesFileTheUsageIsShown() {
		assertThat(run(DEMO)).isEqualTo(RouteTestCommand.USAGE);
		assertThat(errors()).contains("usage: java -jar junction.jar route-test FILE... --cases CASES");
	}

	private int run(String... args) {
		return RouteTestCommand.run(List.of(args), new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private Path write(String name, String text) throws IOException {
		return Files.writeString(this.directory.resolve(name), text);
	}

	private String output() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String errors() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

}

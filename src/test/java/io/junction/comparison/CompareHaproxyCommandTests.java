package io.junction.comparison;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.junction.Haproxy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code compare-haproxy} against the real HAProxy: the seed's haproxy.cfg and its
 * Junction configuration decide alike; a changed ACL shows, with the request that shows
 * it. Skipped without {@code haproxy} on the PATH; CI installs it and checks that these
 * tests ran.
 */
class CompareHaproxyCommandTests {

	private static final String SEED_CFG = "src/test/resources/haproxy/seed.cfg";

	private static final String SEED_REQUESTS = "src/test/resources/haproxy/seed-requests.txt";

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@TempDir
	Path directory;

	@BeforeAll
	static void haproxyIsInstalled() {
		assumeTrue(Haproxy.isInstalled(), "haproxy is not on the PATH (apt-get install haproxy); .ci/run installs it");
	}

	@Test
	void theSeedsHaproxyCfgAndItsJunctionConfigurationRouteEveryRequestAlike() {
		int status = run(SEED_CFG, "examples/seed.yml", "--requests", SEED_REQUESTS, "--generate", "300");

		assertThat(output()).contains("321 requests: 321 same, 0 different, 0 by Junction's path policy");
		assertThat(status).as(output() + errors()).isEqualTo(CompareHaproxyCommand.SAME);
		// The seed's reqrep runs as replace-uri on HAProxy 2.1+, and says so.
		assertThat(output())
			.contains("note: line 17: reqrep run as http-request replace-uri ^/services/foo/v1/(.*) /\\1");
	}

	@Test
	void aChangedAclIsReportedWithTheRequestsThatShowIt() throws IOException {
		// The foo route without the prefix's last slash: /services/foo/v1x is foo's now.
		String changed = Files.readString(Path.of("examples/seed.yml"))
			.replace("PathRegex=^/services/foo/v1/", "PathRegex=^/services/foo/v1");
		Path junction = Files.writeString(this.directory.resolve("changed.yml"), changed);

		int status = run(SEED_CFG, junction.toString(), "--requests", SEED_REQUESTS);

		assertThat(status).isEqualTo(CompareHaproxyCommand.DIFFERENT);
		assertThat(output())
			.contains("DIFFERENT  GET /services/foo/v1x\n" + "           haproxy:  200 website /services/foo/v1x\n"
					+ "           junction: 200 services-foo-v1 /services/foo/v1x")
			.contains("DIFFERENT  GET /services/foo/v1\n")
			.contains("2 different");
	}

	@Test
	void differencesJunctionsPathPolicyMakesAreReportedApartAndPass() throws IOException {
		Path requests = Files.writeString(this.directory.resolve("requests.txt"),
				"GET /services//foo/v1/a\nGET /services/foo/v1/../../x\nGET /services/foo/v1/a\n");

		int status = run(SEED_CFG, "examples/seed.yml", "--requests", requests.toString());

		assertThat(status).as(output() + errors()).isEqualTo(CompareHaproxyCommand.SAME);
		assertThat(output()).contains("POLICY     GET /services//foo/v1/a  (Junction merges // in paths)")
			.contains("POLICY     GET /services/foo/v1/../../x  (Junction refuses this path with 400)")
			.contains("3 requests: 1 same, 0 different, 2 by Junction's path policy");
	}

	@Test
	void aReqrepThatHaproxyCannotRunIsNamedWithItsLine() throws IOException {
		Path cfg = Files.writeString(this.directory.resolve("haproxy.cfg"), Files.readString(Path.of(SEED_CFG))
			.replace("reqrep ^([^\\ :]*)\\ /services/foo/v1/(.*) \\1\\ /\\2", "reqrep ^GET\\ /a(.*) GET\\ /b\\1"));

		int status = run(cfg.toString(), "examples/seed.yml", "--generate", "10");

		assertThat(status).isEqualTo(CompareHaproxyCommand.DIFFERENT);
		assertThat(errors()).contains("line 17: 'reqrep ^GET\\ /a(.*) GET\\ /b\\1' cannot run on HAProxy 2.1 or later");
	}

	@Test
	void generatedRequestsProbeEachPrefixAtItsBoundaries() throws IOException {
		List<ComparedRequest> requests = RequestGenerator.generate(Files.readAllLines(Path.of(SEED_CFG)), 300);

		assertThat(requests).hasSize(300)
			.extracting(ComparedRequest::target)
			.contains("/services/foo/v1/", "/services/foo/v1", "/services/foo/v1/x", "/SERVICES/FOO/V1/",
					"/other/services/foo/v1/", "/x?p=/services/bar/v1/", "/%73ervices/bar/v1/");
		assertThat(requests).extracting(ComparedRequest::describe).doesNotHaveDuplicates();
	}

	private int run(String... args) {
		return CompareHaproxyCommand.run(List.of(args), new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String output() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String errors() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

}

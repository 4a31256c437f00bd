package io.junction.deployment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import io.junction.Clients;
import io.junction.Ports;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged jar started as an operator starts it with Spring AOT's generated bean
 * definitions ({@code -Dspring.aot.enabled=true}): routes and pools still come from the
 * mounted file at start and on a reload, and a setting given at start (the access log)
 * still applies, although Spring AOT fixed the bean definitions at build time.
 * <p>
 * Failsafe runs this class after {@code package}, which builds the jar; without
 * {@code target/junction-*.jar} it is skipped. From an IDE, run {@code ./mvnw package}
 * first or it starts an old jar.
 */
class AotStartupTests {

	private static final String AOT_INITIALIZER = "BOOT-INF/classes/io/junction/JunctionApplication__ApplicationContextInitializer.class";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final TestAppServer app01 = TestAppServer.start("app01");

	private final TestAppServer app02 = TestAppServer.start("app02");

	private Process junction;

	@TempDir
	Path directory;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.junction != null) {
			this.junction.destroyForcibly();
			this.junction.waitFor(10, TimeUnit.SECONDS);
		}
		this.app01.close();
		this.app02.close();
	}

	@Test
	void aotProcessedJarRoutesToPoolsFromTheFileAndAppliesItsReload() throws Exception {
		Path jar = packagedJar();
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			assertThat(zip.getEntry(AOT_INITIALIZER)).as("AOT-generated code in " + jar).isNotNull();
		}
		Path config = this.directory.resolve("junction.yml");
		write(config, routes(route("a", this.app01)));
		int port = Ports.free();
		int managementPort = Ports.free();
		Path log = this.directory.resolve("junction.log");
		this.junction = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dspring.aot.enabled=true", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", jar.toString(),
				"--spring.config.additional-location=file:" + config, "--server.port=" + port,
				"--management.server.port=" + managementPort, "--junction.access-log.enabled=true")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			assertThat(this.junction.isAlive()).as("Junction running; its log:\n%s", Files.readString(log)).isTrue();
			return Clients.isReady(managementPort);
		});
		assertThat(Files.readString(log)).contains("Starting AOT-processed JunctionApplication");

		assertThat(get(port, "/a/x")).isEqualTo("200 app01");
		assertThat(get(port, "/b/x")).startsWith("404");
		// Set at start only: the registrar that adds the access log ran from generated
		// code.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Files.readString(log)).contains("junction.access", "\"GET /a/x\""));

		write(config, routes(route("a", this.app01), route("b", this.app02)));
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> get(port, "/b/x").equals("200 app02"));
		assertThat(get(port, "/a/x")).isEqualTo("200 app01");
	}

	private String get(int port, String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
		return response.statusCode() + " " + response.body();
	}

	// A pool named after the route with one server, and the route to it by path prefix.
	private static String[] route(String name, TestAppServer server) {
		return new String[] {
				"    " + name + ":\n      servers:\n        - name: " + server.name() + "\n          url: "
						+ server.url() + "\n",
				"            - id: " + name + "\n              uri: lb://" + name
						+ "\n              predicates:\n                - PathRegex=^/" + name + "/\n" };
	}

	@SafeVarargs
	private static String routes(String[]... routes) {
		StringBuilder yaml = new StringBuilder("junction:\n  backends:\n");
		for (String[] route : routes) {
			yaml.append(route[0]);
		}
		yaml.append("spring:\n  cloud:\n    gateway:\n      server:\n        webflux:\n          routes:\n");
		for (String[] route : routes) {
			yaml.append(route[1]);
		}
		return yaml.toString();
	}

	// Renamed over the old file, as an editor or a deployment does: never read half
	// written.
	private static void write(Path file, String content) throws IOException {
		Path next = file.resolveSibling(file.getFileName() + ".next");
		Files.writeString(next, content);
		Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	private static Path packagedJar() throws IOException {
		Path target = Path.of("target");
		List<Path> jars = new ArrayList<>();
		if (Files.isDirectory(target)) {
			try (DirectoryStream<Path> found = Files.newDirectoryStream(target, "junction-*.jar")) {
				found.forEach(jars::add);
			}
		}
		assumeTrue(jars.size() == 1,
				"needs exactly one target/junction-*.jar, which ./mvnw package builds (found " + jars + ")");
		return jars.get(0);
	}

}

package io.junction.deployment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.junction.Ports;
import io.junction.TestAppServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds the image from the repository's {@code Dockerfile} and runs it as an operator
 * does: host network, routes from a mounted file, stopped by {@code docker stop}.
 * <p>
 * Failsafe runs this class after {@code package}, since the Dockerfile copies
 * {@code target/junction-*.jar}; from an IDE, run {@code ./mvnw package} first or the
 * image holds an old jar. The base image is {@code junction-base:25}
 * ({@code docker/build-base-image.sh}), or the one named by {@code JUNCTION_BASE_IMAGE}
 * (system property or environment variable). Without Docker or without that image
 * locally, every test here is skipped, with the reason.
 * <p>
 * One container serves all tests, as starting one takes seconds (3 to 15 on a busy 2-core
 * machine); the last test stops it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImageTests {

	private static final Logger logger = LoggerFactory.getLogger(ContainerImageTests.class);

	private static final String BASE_IMAGE = "JUNCTION_BASE_IMAGE";

	private static final String DEFAULT_BASE_IMAGE = "junction-base:25";

	/** What {@code docker stop -t 40} allows: drain delay plus graceful shutdown. */
	private static final int STOP_TIMEOUT_SECONDS = 40;

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final ToStringConsumer output = new ToStringConsumer();

	@TempDir
	static Path configDir;

	private static TestAppServer app;

	private static TestAppServer barApp;

	private static GenericContainer<?> junction;

	private static String image;

	private static int port;

	/** Why the tests are skipped, or null when they run. */
	private static @Nullable String skipped;

	@BeforeAll
	static void startJunctionFromItsImage() throws Exception {
		String baseImage = baseImage();
		if (!DockerClientFactory.instance().isDockerAvailable()) {
			skipped = "no Docker daemon available: the container image is not tested";
		}
		else if (!imageExists(baseImage)) {
			skipped = "base image " + baseImage + " is not present locally: build it with "
					+ "docker/build-base-image.sh, or name another with " + BASE_IMAGE;
		}
		if (skipped != null) {
			logger.warn("Docker test skipped: {}", skipped);
			return;
		}
		Path jar = packagedJar();

		long started = System.nanoTime();
		image = new ImageFromDockerfile("junction-test", false).withDockerfile(Paths.get("Dockerfile").toAbsolutePath())
			.withBuildArg("BASE_IMAGE", baseImage)
			.get();
		logger.info("Docker test: built image {} from Dockerfile and {} on base {} in {} ms", image, jar, baseImage,
				millisSince(started));

		app = TestAppServer.start("app01");
		barApp = TestAppServer.start("app02");
		port = Ports.free();
		int managementPort = Ports.free();
		routesFile(app);
		// The directory, not the file: a file renamed over the old one is a new file,
		// which a bind of the old one would never show.
		junction = new GenericContainer<>(DockerImageName.parse(image)).withNetworkMode("host")
			.withFileSystemBind(configDir.toString(), "/config", BindMode.READ_ONLY)
			.withCommand("--spring.config.additional-location=file:/config/junction.yml", "--server.port=" + port,
					"--management.server.port=" + managementPort, "--junction.shutdown.drain-delay=2s")
			.withLogConsumer(output)
			.withLogConsumer(new Slf4jLogConsumer(logger).withPrefix("container"))
			.waitingFor(new ReadinessWaitStrategy(managementPort).withStartupTimeout(Duration.ofMinutes(3)));
		started = System.nanoTime();
		junction.start();
		logger.info("Docker test: container {} ready on ports {} and {} in {} ms after docker run",
				junction.getContainerId(), port, managementPort, millisSince(started));
	}

	@BeforeEach
	void skipWithoutDockerOrBaseImage() {
		// Here, not in @BeforeAll: Failsafe reports each skipped test with its reason,
		// but nothing at all for a class skipped as a whole.
		assumeTrue(skipped == null, skipped);
	}

	@AfterAll
	static void stopEverything() {
		if (junction != null) {
			junction.stop();
		}
		if (app != null) {
			app.close();
		}
		if (barApp != null) {
			barApp.close();
		}
	}

	@Test
	@Order(1)
	void routesRequestsToThePoolOfTheMountedRoutesFile() throws Exception {
		HttpResponse<String> response = get(port, "/services/foo/v1/hello?x=1");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("app01");
		TestAppServer.Received received = app.takeRequest();
		assertThat(received.method()).isEqualTo("GET");
		assertThat(received.uri()).isEqualTo("/hello?x=1");
	}

	@Test
	@Order(2)
	void startsWithoutTheDemoProfile() {
		assertThat(output.toUtf8String()).contains("No active profile set").doesNotContain("\"demo\"");
	}

	@Test
	@Order(3)
	void runsTheJvmAsProcessOneUnderANonRootUser() throws Exception {
		ExecResult status = junction.execInContainer("cat", "/proc/1/status");

		assertThat(status.getExitCode()).isZero();
		// PID 1 is java itself, not a shell that might not pass SIGTERM on.
		assertThat(status.getStdout()).containsPattern("(?m)^Name:\\s+java$");
		assertThat(status.getStdout()).containsPattern("(?m)^Uid:\\s+10001\\s+10001\\s+10001\\s+10001$");
	}

	@Test
	@Order(4)
	void startsFromTheAotCacheTrainedAtBuildTime() throws Exception {
		ExecResult maps = junction.execInContainer("cat", "/proc/1/maps");

		assertThat(maps.getExitCode()).isZero();
		// The JVM keeps the cache mapped only when it accepts it. A stale cache (other
		// jars, other module options than the training run's) is unmapped again, and
		// Junction starts without it, slowly, logging an [aot] error.
		assertThat(maps.getStdout()).contains("/app/junction.aot");
		assertThat(output.toUtf8String()).doesNotContain("[error][aot]");
	}

	@Test
	@Order(5)
	void reloadsTheMountedRoutesFileWhenItChangesWithoutARestart() throws Exception {
		String routes = Files.readString(configDir.resolve("junction.yml"));
		String withBar = routes.replace("""
				    services-foo-v1:
				""", """
				    services-bar-v1:
				      servers:
				        - name: %s
				          url: %s
				    services-foo-v1:
				""".formatted(barApp.name(), barApp.url())) + """
				            - id: services-bar-v1
				              uri: lb://services-bar-v1
				              predicates:
				                - PathRegex=^/services/bar/v1/
				""";
		assertThat(get(port, "/services/bar/v1/hello").statusCode()).isEqualTo(404);

		// Renamed over the old file, as a deployment writes it.
		Path next = configDir.resolve("junction.yml.next");
		Files.writeString(next, withBar);
		Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-r--r--"));
		Files.move(next, configDir.resolve("junction.yml"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);

		// The new route and its pool, read from the file by the running container.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(get(port, "/services/bar/v1/hello").body()).isEqualTo("app02"));
		assertThat(get(port, "/services/foo/v1/hello").body()).isEqualTo("app01");
	}

	@Test
	@Order(6)
	void drainsThenExitsWhenDockerStopsIt() {
		DockerClient docker = junction.getDockerClient();
		String id = junction.getContainerId();

		long started = System.nanoTime();
		docker.stopContainerCmd(id).withTimeout(STOP_TIMEOUT_SECONDS).exec();
		long stopMillis = millisSince(started);
		Long exitCode = docker.inspectContainerCmd(id).exec().getState().getExitCodeLong();
		logger.info("Docker test: docker stop took {} ms; exit code {}", stopMillis, exitCode);

		// 143 is 128 + SIGTERM: the JVM's exit status after its shutdown hooks ran.
		// SIGKILL after the stop timeout would give 137.
		assertThat(exitCode).isIn(0L, 143L);
		String log = output.toUtf8String();
		assertThat(log).contains("draining: readiness down").contains("drained:");
		assertThat(log.indexOf("draining: readiness down")).isLessThan(log.indexOf("drained:"));
	}

	@Test
	@Order(7)
	void checkThroughTheEntrypointPassesAGoodFileWithItsSummary() throws Exception {
		Check check = check(routesFile(app));

		assertThat(check.exitCode()).isZero();
		assertThat(check.output()).contains("OK: 1 routes, 1 pools, 1 servers");
	}

	@Test
	@Order(8)
	void checkThroughTheEntrypointListsEveryProblemAndExitsOne() throws Exception {
		Path file = configDir.resolve("bad.yml");
		Files.writeString(file, """
				junction:
				  backends:
				    services-foo-v1:
				      helth-check:
				        interval: 2s
				      servers:
				        - name: app01
				          url: ftp://127.0.0.1:21
				""");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

		Check check = check(file);

		assertThat(check.exitCode()).isEqualTo(1);
		assertThat(check.output())
			.contains("junction.backends.services-foo-v1.helth-check: unknown key; did you mean "
					+ "junction.backends.services-foo-v1.health-check?")
			.contains("junction.backends.services-foo-v1.servers[0].url: 'ftp://127.0.0.1:21' is not an absolute "
					+ "http(s) URL")
			.contains("2 problems found");
	}

	/** Runs {@code check /config/junction.yml} through the image's entrypoint. */
	private static Check check(Path file) {
		try (GenericContainer<?> check = new GenericContainer<>(DockerImageName.parse(image)).withNetworkMode("none")
			.withFileSystemBind(file.toString(), "/config/junction.yml", BindMode.READ_ONLY)
			.withCommand("check", "/config/junction.yml")
			.withStartupCheckStrategy(new ExitedStartupCheck().withTimeout(Duration.ofMinutes(2)))) {
			check.start();
			Long exitCode = check.getDockerClient()
				.inspectContainerCmd(check.getContainerId())
				.exec()
				.getState()
				.getExitCodeLong();
			String output = check.getLogs();
			logger.info("Docker test: check exited {}: {}", exitCode, output.strip());
			return new Check((exitCode != null) ? exitCode : -1, output);
		}
	}

	/** What a {@code check} container printed, and its exit status. */
	private record Check(long exitCode, String output) {
	}

	/** A one-shot container is started once it has exited, whatever its status. */
	private static final class ExitedStartupCheck extends StartupCheckStrategy {

		@Override
		public StartupStatus checkStartupState(DockerClient docker, String containerId) {
			return Boolean.TRUE.equals(getCurrentState(docker, containerId).getRunning()) ? StartupStatus.NOT_YET_KNOWN
					: StartupStatus.SUCCESSFUL;
		}

	}

	private static String baseImage() {
		String name = System.getProperty(BASE_IMAGE, System.getenv(BASE_IMAGE));
		return (name != null && !name.isBlank()) ? name : DEFAULT_BASE_IMAGE;
	}

	private static boolean imageExists(String name) {
		try {
			DockerClientFactory.instance().client().inspectImageCmd(name).exec();
			return true;
		}
		catch (NotFoundException ex) {
			return false;
		}
	}

	/**
	 * The jar the Dockerfile copies; exactly one, else the COPY fails or is ambiguous.
	 */
	private static Path packagedJar() throws IOException {
		List<Path> jars = new ArrayList<>();
		Path target = Paths.get("target");
		if (Files.isDirectory(target)) {
			try (DirectoryStream<Path> found = Files.newDirectoryStream(target, "junction-*.jar")) {
				found.forEach(jars::add);
			}
		}
		assertThat(jars).as("target/junction-*.jar, which the Dockerfile copies (run ./mvnw package)").hasSize(1);
		return jars.get(0);
	}

	/** A routes file readable by the image's user, with one pool: {@code app}. */
	private static Path routesFile(TestAppServer app) throws IOException {
		Path file = configDir.resolve("junction.yml");
		Files.writeString(file, """
				junction:
				  backends:
				    services-foo-v1:
				      servers:
				        - name: %s
				          url: %s
				spring:
				  cloud:
				    gateway:
				      server:
				        webflux:
				          routes:
				            - id: services-foo-v1
				              uri: lb://services-foo-v1
				              predicates:
				                - PathRegex=^/services/foo/v1/
				              filters:
				                - RewritePath=^/services/foo/v1/(?<rest>.*), /$\\{rest}
				""".formatted(app.name(), app.url()));
		// The container reads it as uid 10001, not as the owner.
		Files.setPosixFilePermissions(configDir, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		return file;
	}

	private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static long millisSince(long nanoTime) {
		return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
	}

	/**
	 * Ready when the management port answers readiness with 200, as the ELB sees it. The
	 * port is on the host network, so Testcontainers' port-mapping waits do not apply.
	 */
	private static final class ReadinessWaitStrategy extends AbstractWaitStrategy {

		private final int managementPort;

		ReadinessWaitStrategy(int managementPort) {
			this.managementPort = managementPort;
		}

		@Override
		protected void waitUntilReady() {
			await().atMost(this.startupTimeout)
				.pollInterval(Duration.ofMillis(250))
				.ignoreExceptions()
				.failFast("the container stopped before it was ready", () -> !this.waitStrategyTarget.isRunning())
				.until(() -> get(this.managementPort, "/actuator/health/readiness").statusCode() == 200);
		}

	}

}

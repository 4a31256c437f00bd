package io.junction.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * {@code /actuator/config}: the version in place and its files; {@code POST} reloads now,
 * only when runtime admin is on, and is logged with who asked.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigEndpointTests {

	private static final String ROUTE_B = "spring.cloud.gateway.server.webflux.routes[1]";

	private final TestAppServer app01 = TestAppServer.start("app01");

	@TempDir
	Path directory;

	@AfterEach
	void stopServer() {
		this.app01.close();
	}

	@Test
	void showsTheVersionInPlaceWithItsFiles() {
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.properties");
		config.renameOver(lines(false));
		try (RunningJunction junction = Startup.junction(Map.of(), config.location())) {
			String version = ConfigFiles.version(junction.bean(ConfigurationReloader.class).loaded().files());
			junction.management()
				.get()
				.uri("/actuator/config")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.version")
				.isEqualTo(version)
				.jsonPath("$.files[0]")
				.isEqualTo(config.file().toString())
				.jsonPath("$.appliedAt")
				.exists()
				.jsonPath("$.lastRejected")
				.doesNotExist();
			junction.management()
				.get()
				.uri("/actuator/health")
				.exchange()
				.expectBody()
				.jsonPath("$.components.config.status")
				.isEqualTo("UP")
				.jsonPath("$.components.config.details.version")
				.isEqualTo(version);
		}
	}

	@Test
	void postReloadsNowWhenAdminIsOnEvenWithWatchingOff(CapturedOutput output) {
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.properties");
		config.renameOver(lines(false));
		try (RunningJunction junction = Startup.junction(Map.of(), config.location(), "junction.admin.enabled=true",
				"junction.reload.enabled=false")) {
			// The files as they were read at start-up are the version in place.
			junction.management()
				.post()
				.uri("/actuator/config")
				.exchange()
				.expectBody()
				.jsonPath("$.result")
				.isEqualTo("unchanged");
			config.renameOver(lines(true));
			// Not watched: the change waits for the POST.
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(4))
				.until(() -> status(junction, "/b/x") == 404);

			junction.management()
				.post()
				.uri("/actuator/config")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.result")
				.isEqualTo("applied");

			assertThat(status(junction, "/b/x")).isEqualTo(200);
			assertThat(output.getOut()).contains("Configuration reload asked by 127.0.0.1");
			junction.management()
				.post()
				.uri("/actuator/config")
				.exchange()
				.expectBody()
				.jsonPath("$.result")
				.isEqualTo("unchanged");
		}
	}

	@Test
	void postIsRefusedWhenAdminIsOff(CapturedOutput output) {
		ConfigDirectory config = ConfigDirectory.plain(this.directory, "junction.properties");
		config.renameOver(lines(false));
		try (RunningJunction junction = Startup.junction(Map.of(), config.location(),
				"junction.reload.enabled=false")) {
			config.renameOver(lines(true));
			junction.management()
				.post()
				.uri("/actuator/config")
				.exchange()
				.expectStatus()
				.isForbidden()
				.expectBody()
				.jsonPath("$.message")
				.isEqualTo("runtime admin is disabled: set junction.admin.enabled=true to reload at run time");
			assertThat(status(junction, "/b/x")).isEqualTo(404);
			assertThat(output.getOut())
				.contains("Refused to reload the configuration (asked by 127.0.0.1): junction.admin.enabled is false");
		}
	}

	private static int status(RunningJunction junction, String path) {
		return junction.traffic().get().uri(path).exchange().returnResult(String.class).getStatus().value();
	}

	private List<String> lines(boolean routeB) {
		String pool = "junction.backends.app";
		String route = "spring.cloud.gateway.server.webflux.routes[0]";
		List<String> lines = new java.util.ArrayList<>(
				List.of(pool + ".servers[0].name=app01", pool + ".servers[0].url=" + this.app01.url(), route + ".id=a",
						route + ".uri=lb://app", route + ".predicates[0]=Path=/a/**"));
		if (routeB) {
			lines.addAll(List.of(ROUTE_B + ".id=b", ROUTE_B + ".uri=lb://app", ROUTE_B + ".predicates[0]=Path=/b/**"));
		}
		return lines;
	}

}

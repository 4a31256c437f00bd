package io.junction.observability;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.Clients;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.config.ConfigurationReloader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The stats page in a real headless browser (Debian's Chromium, driven by Selenium): it
 * lists every pool and server, and a server killed while the page is open turns DOWN on
 * it without a reload. Skipped, with the reason, where Chromium or its driver is absent;
 * {@code .ci/run} installs both.
 */
class StatsPageBrowserTests {

	private static final File CHROMIUM = new File("/usr/bin/chromium");

	private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

	@TempDir
	static Path profile;

	private static ChromeDriver browser;

	private final List<TestAppServer> app = TestAppServer.startAll("app01", "app02");

	private final List<TestAppServer> website = TestAppServer.startAll("web01");

	@BeforeAll
	static void startBrowser() {
		assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
				"needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
					"--user-data-dir=" + profile, "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build();
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@AfterEach
	void stopServers() {
		this.app.forEach(TestAppServer::close);
		this.website.forEach(TestAppServer::close);
	}

	@Test
	void pageListsEveryServerAndShowsAKilledServerDownWithoutAReload() {
		try (RunningJunction junction = Startup.junction(Map.of("app", this.app, "website", this.website),
				"spring.cloud.gateway.server.webflux.routes[0].id=app",
				"spring.cloud.gateway.server.webflux.routes[0].uri=lb://app",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/app/**",
				"spring.cloud.gateway.server.webflux.routes[1].id=website",
				"spring.cloud.gateway.server.webflux.routes[1].uri=lb://website",
				"spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/**",
				"junction.backends.app.health-check.interval=300ms", "junction.backends.app.health-check.timeout=100ms",
				"junction.backends.website.balance=least-connections")) {
			Clients.okBody(junction.traffic(), "/app/hello");
			browser.get("http://127.0.0.1:" + junction.managementPort() + "/junction");
			WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));

			wait.until((page) -> state("app/app01") != null);
			assertThat(state("app/app01")).isEqualTo("UP");
			assertThat(state("app/app02")).isEqualTo("UP");
			assertThat(state("website/web01")).isEqualTo("UP");
			assertThat(balance("app")).isEqualTo("balance round-robin");
			assertThat(balance("website")).isEqualTo("balance least-connections");
			Object marker = browser.executeScript("return window.junctionTestMarker = 'same page';");

			this.app.get(1).kill();
			wait.until((page) -> "DOWN".equals(state("app/app02")));

			assertThat(state("app/app01")).isEqualTo("UP");
			assertThat(browser.executeScript("return window.junctionTestMarker;")).as("no reload").isEqualTo(marker);
			assertThat(rowText("app/app02")).contains("connection refused");
		}
	}

	@Test
	void pageShowsTheConfigurationInPlaceAndTheLastRefusalWithItsProblem(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("junction.properties");
		List<String> valid = List.of("junction.backends.app.servers[0].name=app01",
				"junction.backends.app.servers[0].url=" + this.app.get(0).url(),
				"spring.cloud.gateway.server.webflux.routes[0].id=app",
				"spring.cloud.gateway.server.webflux.routes[0].uri=lb://app",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**");
		Files.write(file, valid);
		try (RunningJunction junction = Startup.junction(Map.of(), "spring.config.additional-location=file:" + file)) {
			String version = junction.bean(ConfigurationReloader.class).loaded().version();
			browser.get("http://127.0.0.1:" + junction.managementPort() + "/junction");
			WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
			wait.until((page) -> text("config").contains(version));
			assertThat(text("config")).contains(file.toString());
			assertThat(visible("rejected")).isFalse();

			List<String> bad = new ArrayList<>(valid);
			bad.add("junction.backends.app.helth-check.interval=2s");
			Path temporary = directory.resolve("junction.properties.tmp");
			Files.write(temporary, bad);
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

			wait.until((page) -> visible("rejected"));
			assertThat(text("rejected")).contains("junction.backends.app.helth-check: unknown key; did you mean "
					+ "junction.backends.app.health-check?");
			assertThat(text("config")).contains(version);
		}
	}

	private static String text(String id) {
		return (String) browser.executeScript("return document.getElementById(arguments[0]).textContent;", id);
	}

	private static boolean visible(String id) {
		return !(Boolean) browser.executeScript("return document.getElementById(arguments[0]).hidden;", id);
	}

	// Read in one script, not element by element: the page redraws its tables every two
	// seconds, and an element found before a redraw is gone after it.
	private static String state(String server) {
		return (String) browser.executeScript("const row = document.querySelector(`tr[data-server='${arguments[0]}']`);"
				+ " return row ? row.querySelector('td.state').textContent : null;", server);
	}

	private static String balance(String pool) {
		return (String) browser.executeScript(
				"const balance = document.querySelector(`section[data-pool='${arguments[0]}'] h2 span.balance`);"
						+ " return balance && balance.checkVisibility() ? balance.textContent : null;",
				pool);
	}

	private static String rowText(String server) {
		return (String) browser
			.executeScript("return document.querySelector(`tr[data-server='${arguments[0]}']`).textContent;", server);
	}

}

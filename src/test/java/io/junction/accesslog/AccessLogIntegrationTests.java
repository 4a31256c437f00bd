package io.junction.accesslog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.junction.Clients;
import io.junction.InvalidConfigurationException;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.TestAppServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.logging.LoggingSystemProperty;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access log's lines, read from Junction's console output: every field of a routed
 * request, a 503 with no server, a response timeout, a retry and a client that gives up;
 * the JSON form; and no line at all when the log is off.
 */
@ExtendWith(OutputCaptureExtension.class)
class AccessLogIntegrationTests {

	private static final String ROUTE = "spring.cloud.gateway.server.webflux.routes[0]";

	// client route pool/server address route/wait/connect/response/total status in out
	// retries termination "method path" "path sent" "x-forwarded-for"
	private static final Pattern PLAIN = Pattern.compile("junction\\.access\\s+: (\\S+) (\\S+) (\\S+)/(\\S+) (\\S+) "
			+ "(\\S+)/(\\S+)/(\\S+)/(\\S+)/(\\S+) (-?\\d+) (\\d+) (\\d+) (\\d+) (\\S+) \"(\\S+) (.*)\" \"(.*)\" \"(.*)\"$");

	private final TestAppServer app01 = TestAppServer.start("app01");

	private final TestAppServer app02 = TestAppServer.start("app02");

	@AfterEach
	void stopServers() {
		this.app01.close();
		this.app02.close();
	}

	@Test
	void routedRequestLogsEveryField(CapturedOutput output) {
		try (RunningJunction junction = junction(List.of(this.app01), "junction.access-log.enabled=true")) {
			junction.management().get().uri("/actuator/health").exchange().expectStatus().isOk();
			junction.traffic()
				.post()
				.uri("/api/hello?x=1")
				.header("X-Forwarded-For", "198.51.100.7")
				.bodyValue("abc")
				.exchange()
				.expectStatus()
				.isOk();
			Line line = awaitLine(output, "/api/hello?x=1");

			assertThat(line.client()).matches("127\\.0\\.0\\.1:\\d+");
			assertThat(line.route()).isEqualTo("api-route");
			assertThat(line.pool()).isEqualTo("api");
			assertThat(line.server()).isEqualTo("app01");
			assertThat(line.serverAddress()).isEqualTo(this.app01.url().substring("http://".length()));
			assertThat(line.method()).isEqualTo("POST");
			assertThat(line.path()).isEqualTo("/api/hello?x=1");
			assertThat(line.pathSent()).isEqualTo("/hello?x=1");
			assertThat(line.forwardedFor()).isEqualTo("198.51.100.7");
			assertThat(line.status()).isEqualTo(200);
			assertThat(line.bytesIn()).isEqualTo(3);
			assertThat(line.bytesOut()).isEqualTo("app01".length());
			assertThat(line.retries()).isZero();
			assertThat(line.termination()).isEqualTo("ok");
			assertThat(line.routeTime()).isNotNegative();
			assertThat(line.waitTime()).isNotNegative();
			assertThat(line.connectTime()).as("a new connection takes time to open").isPositive();
			assertThat(line.responseTime()).isPositive();
			assertThat(line.totalTime())
				.isGreaterThanOrEqualTo(line.routeTime() + line.waitTime() + line.connectTime() + line.responseTime());

			// The connection goes back to the pool as the response ends, which can be
			// just
			// after the client has it: of a few requests in a row, some find it there.
			List<Line> again = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				junction.traffic().get().uri("/api/again/" + i).exchange().expectStatus().isOk();
				again.add(awaitLine(output, "/api/again/" + i));
			}
			assertThat(again).as("a pooled connection is reused, with no connect time")
				.anyMatch((reused) -> reused.connectTime() == 0);
			assertThat(again).allMatch((each) -> each.bytesIn() == 0 && each.forwardedFor().equals("-")
					&& each.totalTime() >= each.responseTime());
			// Lines are written in order: the management request's would be there by now.
			assertThat(output.getOut()).as("the management port is not logged").doesNotContain("/actuator/health\"");
		}
	}

	@Test
	void requestNoRouteMatchesLogsNoRoute(CapturedOutput output) {
		try (RunningJunction junction = junction(List.of(this.app01), "junction.access-log.enabled=true")) {
			junction.traffic().delete().uri("/elsewhere").exchange().expectStatus().isNotFound();
			Line line = awaitLine(output, "/elsewhere");

			assertThat(line.status()).isEqualTo(404);
			assertThat(line.termination()).isEqualTo("no-route");
			assertThat(line.method()).isEqualTo("DELETE");
			assertThat(line.route()).isEqualTo("-");
			assertThat(line.server()).isEqualTo("-");
			assertThat(line.bytesOut()).isPositive();
		}
	}

	@Test
	void requestToAPoolWithEveryServerDownLogsNoServer(CapturedOutput output) {
		try (RunningJunction junction = junction(List.of(this.app01, this.app02), "junction.access-log.enabled=true",
				"junction.backends.api.health-check.interval=200ms",
				"junction.backends.api.health-check.timeout=100ms")) {
			this.app01.kill();
			this.app02.kill();
			await().atMost(Duration.ofSeconds(5)).until(() -> junction.pool("api").upCount() == 0);

			junction.traffic()
				.get()
				.uri("/api/down")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			Line line = awaitLine(output, "/api/down");

			assertThat(line.status()).isEqualTo(503);
			assertThat(line.termination()).isEqualTo("no-server");
			assertThat(line.route()).isEqualTo("api-route");
			assertThat(line.pool()).isEqualTo("api");
			assertThat(line.server()).isEqualTo("-");
			assertThat(line.serverAddress()).isEqualTo("-");
			assertThat(line.pathSent()).isEqualTo("-");
			assertThat(line.retries()).isZero();
			assertThat(line.routeTime()).isNotNegative();
			assertThat(line.waitTime()).isEqualTo(-1);
			assertThat(line.connectTime()).isEqualTo(-1);
			assertThat(line.responseTime()).isEqualTo(-1);
			assertThat(line.totalTime()).isNotNegative();
		}
	}

	@Test
	void responseTimeoutLogsServerTimeout(CapturedOutput output) {
		this.app01.behave(Behaviour.HANG);
		try (RunningJunction junction = junction(List.of(this.app01), "junction.access-log.enabled=true",
				"junction.backends.api.response-timeout=300ms")) {
			junction.traffic().get().uri("/api/hang").exchange().expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
			Line line = awaitLine(output, "/api/hang");

			assertThat(line.status()).isEqualTo(504);
			assertThat(line.termination()).isEqualTo("server-timeout");
			assertThat(line.server()).isEqualTo("app01");
			assertThat(line.pathSent()).isEqualTo("/hang");
			assertThat(line.connectTime()).isNotNegative();
			assertThat(line.responseTime()).as("no response headers came").isEqualTo(-1);
			assertThat(line.totalTime()).isGreaterThanOrEqualTo(300);
		}
	}

	@Test
	void serverThatCannotBeConnectedToLogsConnectFailed(CapturedOutput output) {
		try (RunningJunction junction = junction(List.of(this.app01), "junction.access-log.enabled=true",
				"junction.backends.api.health-check.enabled=false")) {
			this.app01.kill();
			junction.traffic()
				.get()
				.uri("/api/refused")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			Line line = awaitLine(output, "/api/refused");

			assertThat(line.status()).isEqualTo(503);
			assertThat(line.termination()).isEqualTo("connect-failed");
			assertThat(line.server()).isEqualTo("app01");
			assertThat(line.connectTime()).as("no connection was opened").isEqualTo(-1);
			assertThat(line.responseTime()).isEqualTo(-1);
		}
	}

	@Test
	void serverThatHangsUpLogsServerError(CapturedOutput output) {
		this.app01.behave(Behaviour.HANG_UP);
		try (RunningJunction junction = junction(List.of(this.app01), "junction.access-log.enabled=true")) {
			junction.traffic().get().uri("/api/hung-up").exchange().expectStatus().isEqualTo(HttpStatus.BAD_GATEWAY);
			Line line = awaitLine(output, "/api/hung-up");

			assertThat(line.status()).isEqualTo(502);
			assertThat(line.termination()).isEqualTo("server-error");
			assertThat(line.server()).isEqualTo("app01");
			assertThat(line.connectTime()).isNotNegative();
			assertThat(line.responseTime()).isEqualTo(-1);
		}
	}

	@Test
	void requestRetriedOnAnotherServerLogsTheRetryAndTheServerThatAnswered(CapturedOutput output) {
		// Without checks the killed app01 stays UP, and the round-robin tries it first.
		try (RunningJunction junction = junction(List.of(this.app01, this.app02), "junction.access-log.enabled=true",
				"junction.backends.api.health-check.enabled=false")) {
			this.app01.kill();
			junction.traffic().get().uri("/api/retried").exchange().expectStatus().isOk();
			Line line = awaitLine(output, "/api/retried");

			assertThat(line.retries()).isEqualTo(1);
			assertThat(line.server()).isEqualTo("app02");
			assertThat(line.termination()).isEqualTo("ok");
			assertThat(line.status()).isEqualTo(200);
		}
	}

	@Test
	void clientThatGivesUpIsLoggedAsClientAbort(CapturedOutput output) {
		this.app01.behave(Behaviour.HANG);
		try (RunningJunction junction = junction(List.of(this.app01), "junction.access-log.enabled=true")) {
			junction.traffic()
				.mutate()
				.responseTimeout(Duration.ofMillis(300))
				.build()
				.get()
				.uri("/api/impatient")
				.exchange()
				.returnResult(String.class)
				.getResponseBody()
				.onErrorComplete()
				.blockLast(Duration.ofSeconds(5));
		}
		catch (AssertionError | IllegalStateException ex) {
			// The client's own timeout: expected, what matters is the log line.
		}
		Line line = awaitLine(output, "/api/impatient");
		assertThat(line.termination()).isEqualTo("client-abort");
		assertThat(line.server()).isEqualTo("app01");
		assertThat(line.status()).as("no response was sent").isEqualTo(-1);
		assertThat(line.responseTime()).isEqualTo(-1);
	}

	@Test
	void jsonFormatWritesOneObjectPerLineWithEveryFieldAsAKey(CapturedOutput output) {
		try (RunningJunction junction = junction(List.of(this.app01), "junction.access-log.enabled=true",
				"junction.access-log.format=json", "logging.structured.format.console=logstash")) {
			junction.traffic()
				.get()
				.uri("/api/json?y=2")
				.header("X-Forwarded-For", "198.51.100.7")
				.exchange()
				.expectStatus()
				.isOk();
			Map<String, Object> line = JsonParserFactory.getJsonParser().parseMap(awaitJson(output, "/api/json?y=2"));
			assertThat(line).containsEntry("route", "api-route")
				.containsEntry("pool", "api")
				.containsEntry("server", "app01")
				.containsEntry("server_address", this.app01.url().substring("http://".length()))
				.containsEntry("method", "GET")
				.containsEntry("path", "/api/json?y=2")
				.containsEntry("path_sent", "/json?y=2")
				.containsEntry("x_forwarded_for", "198.51.100.7")
				.containsEntry("termination", "ok");
			assertThat(number(line, "status")).isEqualTo(200);
			assertThat(number(line, "bytes_in")).isZero();
			assertThat(number(line, "bytes_out")).isEqualTo(5);
			assertThat(number(line, "retries")).isZero();
			assertThat((String) line.get("client")).matches("127\\.0\\.0\\.1:\\d+");
			for (String time : List.of("time_route_ms", "time_wait_ms", "time_connect_ms", "time_response_ms")) {
				assertThat(number(line, time)).as(time).isNotNegative();
			}
			assertThat(number(line, "time_total_ms")).isGreaterThanOrEqualTo(number(line, "time_response_ms"));

			junction.traffic().get().uri("/api/nothing-forwarded").exchange().expectStatus().isOk();
			Map<String, Object> unforwarded = JsonParserFactory.getJsonParser()
				.parseMap(awaitJson(output, "/api/nothing-forwarded"));
			assertThat(unforwarded).containsEntry("x_forwarded_for", null);
		}
		finally {
			// Spring Boot keeps the format in a system property, which would turn every
			// later test's console into JSON.
			System.clearProperty(LoggingSystemProperty.CONSOLE_STRUCTURED_FORMAT.getEnvironmentVariableName());
		}
	}

	@Test
	void disabledAccessLogWritesNoLineAndAddsNothingToTheRequestPath(CapturedOutput output) {
		try (ConfigurableApplicationContext context = Startup.run("junction.backends.api.servers[0].name=app01",
				"junction.backends.api.servers[0].url=" + this.app01.url(), ROUTE + ".id=api-route",
				ROUTE + ".uri=lb://api", ROUTE + ".predicates[0]=Path=/**")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			Clients.client(port).get().uri("/api/quiet").exchange().expectStatus().isOk();

			for (Class<?> onTheRequestPath : List.of(HttpHandlerDecoratorFactory.class, AccessLogRouteFilter.class,
					AccessLogWriter.class)) {
				assertThat(context.getBeanNamesForType(onTheRequestPath)).as(onTheRequestPath.getSimpleName())
					.isEmpty();
			}
			assertThat(output.getOut()).doesNotContain("junction.access");
		}
	}

	@Test
	void queueCapacityBelowOneIsRefusedEvenWithTheLogOff() {
		InvalidConfigurationException refusal = Startup.refusal("junction.access-log.queue-capacity=0");
		assertThat(refusal.getKey()).isEqualTo("junction.access-log.queue-capacity");
	}

	private static RunningJunction junction(List<TestAppServer> servers, String... properties) {
		List<String> all = new java.util.ArrayList<>(
				List.of(ROUTE + ".id=api-route", ROUTE + ".uri=lb://api", ROUTE + ".predicates[0]=PathRegex=^/api/",
						ROUTE + ".filters[0]=RewritePath=^/api/(?<rest>.*), /$\\{rest}"));
		all.addAll(List.of(properties));
		return Startup.junction(Map.of("api", servers), all.toArray(String[]::new));
	}

	private static double number(Map<String, Object> json, String key) {
		assertThat(json.get(key)).as(key).isInstanceOf(Number.class);
		return ((Number) json.get(key)).doubleValue();
	}

	/** Waits for the JSON access-log line of the request to {@code path}. */
	private static String awaitJson(CapturedOutput output, String path) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> output.getOut()
				.lines()
				.filter((candidate) -> candidate.contains("\"logger_name\":\"junction.access\"")
						&& candidate.contains("\"path\":\"" + path + "\""))
				.findFirst(), Optional::isPresent)
			.get();
	}

	/** Waits for the access-log line of the request to {@code path}, and parses it. */
	private static Line awaitLine(CapturedOutput output, String path) {
		String quoted = " " + path + "\"";
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> output.getOut()
				.lines()
				.filter((line) -> line.contains(quoted))
				.map(PLAIN::matcher)
				.filter(Matcher::find)
				.map(Line::new)
				.findFirst(), Optional::isPresent)
			.get();
	}

	/** One plain access-log line, field by field. */
	private record Line(String client, String route, String pool, String server, String serverAddress, double routeTime,
			double waitTime, double connectTime, double responseTime, double totalTime, int status, long bytesIn,
			long bytesOut, int retries, String termination, String method, String path, String pathSent,
			String forwardedFor) {

		Line(Matcher m) {
			this(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), Double.parseDouble(m.group(6)),
					Double.parseDouble(m.group(7)), Double.parseDouble(m.group(8)), Double.parseDouble(m.group(9)),
					Double.parseDouble(m.group(10)), Integer.parseInt(m.group(11)), Long.parseLong(m.group(12)),
					Long.parseLong(m.group(13)), Integer.parseInt(m.group(14)), m.group(15), m.group(16), m.group(17),
					m.group(18), m.group(19));
		}

	}

}

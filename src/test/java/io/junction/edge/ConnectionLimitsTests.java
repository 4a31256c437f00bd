package io.junction.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.junction.RunningJunction;
import io.junction.Scrape;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.framing.RequestLimitsProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The client connections of the traffic port: {@code junction.limits.idle-timeout} closes
 * one that waits too long for its next request, and only then;
 * {@code junction.limits.max-connections} leaves new ones waiting, unanswered but not
 * refused, while as many as it allows are open.
 */
class ConnectionLimitsTests {

	private final TestAppServer app = TestAppServer.start("app01");

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void stop() throws Exception {
		for (int i = this.closing.size() - 1; i >= 0; i--) {
			this.closing.get(i).close();
		}
		this.app.close();
	}

	@Test
	void anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeoutWhileTheManagementPortKeepsItsOwn() throws Exception {
		// Spring Boot's key for the same thing says 10 minutes: Junction's wins.
		RunningJunction junction = junction(Map.of("api", List.of(this.app)), "junction.limits.idle-timeout=1s",
				"server.netty.idle-timeout=10m");
		Socket management = open(junction.managementPort());
		assertThat(exchange(management, "/actuator/health")).startsWith("HTTP/1.1 200 ");
		Socket traffic = open(junction.port());
		assertThat(exchange(traffic, "/api/once")).startsWith("HTTP/1.1 200 ");
		long answered = System.nanoTime();

		traffic.setSoTimeout(15_000);
		assertThat(traffic.getInputStream().read()).as("the traffic connection is closed").isEqualTo(-1);
		Duration idle = Duration.ofNanos(System.nanoTime() - answered);
		assertThat(idle).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));

		assertThat(exchange(management, "/actuator/health"))
			.as("the management connection, as idle as the other, is still open")
			.startsWith("HTTP/1.1 200 ");
	}

	// An idle timeout of 2 s rather than 1: time between connecting and sending the first
	// request is idle too, and a test thread on a loaded machine can pause for a second.
	@Test
	void waitingForTheServerAndStreamingItsResponseIsNotIdleTime() throws Exception {
		DisposableServer slow = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/slow/wait",
						(request, response) -> response
							.sendString(Mono.delay(Duration.ofSeconds(3)).thenReturn("waited")))
				.get("/slow/stream",
						(request, response) -> response.header("Content-Length", "36")
							.sendString(Flux.interval(Duration.ofMillis(600)).take(6).map((i) -> "part" + i + "\n"))))
			.bindNow();
		this.closing.add(slow::disposeNow);
		RunningJunction junction = junction(Map.of(), "junction.backends.slow.servers[0].name=slow",
				"junction.backends.slow.servers[0].url=http://127.0.0.1:" + slow.port(),
				"spring.cloud.gateway.server.webflux.routes[0].id=slow",
				"spring.cloud.gateway.server.webflux.routes[0].uri=lb://slow",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/slow/**",
				"junction.limits.idle-timeout=2s");
		Socket socket = open(junction.port());

		assertThat(exchange(socket, "/slow/wait")).startsWith("HTTP/1.1 200 ").endsWith("waited");
		assertThat(exchange(socket, "/slow/stream")).startsWith("HTTP/1.1 200 ")
			.endsWith("part0\npart1\npart2\npart3\npart4\npart5\n");
	}

	@Test
	void theIdleTimeoutIsSeventyFiveSecondsByDefaultLongerThanAnElbsSixty() {
		RequestLimitsProperties limits = new Binder(new MapConfigurationPropertySource())
			.bindOrCreate(RequestLimitsProperties.PREFIX, RequestLimitsProperties.class);
		assertThat(limits.getIdleTimeout()).isEqualTo(Duration.ofSeconds(75)).isGreaterThan(Duration.ofSeconds(60));
	}

	@Test
	void anIdleTimeoutOfZeroOrLessIsRefusedNamingTheKey() {
		assertThat(Startup.refusal("junction.limits.idle-timeout=0s").getKey())
			.isEqualTo("junction.limits.idle-timeout");
		assertThat(Startup.refusal("junction.limits.idle-timeout=-5s").getKey())
			.isEqualTo("junction.limits.idle-timeout");
	}

	@Test
	void beyondMaxConnectionsANewConnectionWaitsUntilAnOpenOneCloses() throws Exception {
		RunningJunction junction = junction(Map.of("api", List.of(this.app)), "junction.limits.max-connections=2");
		ConnectionLimit limit = junction.bean(ConnectionLimit.class);
		AtomicInteger mostOpen = new AtomicInteger();
		ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
		this.closing.add(sampler::shutdownNow);
		sampler.scheduleAtFixedRate(() -> mostOpen.accumulateAndGet(limit.open(), Math::max), 0, 5,
				TimeUnit.MILLISECONDS);
		Socket first = open(junction.port());
		Socket second = open(junction.port());
		assertThat(exchange(first, "/api/first")).startsWith("HTTP/1.1 200 ");
		assertThat(exchange(second, "/api/second")).startsWith("HTTP/1.1 200 ");

		Socket third = open(junction.port());
		send(third, "/api/third");
		third.setSoTimeout(1000);
		assertThatExceptionOfType(SocketTimeoutException.class).as("no answer while two connections are open")
			.isThrownBy(() -> third.getInputStream().read());
		assertThat(this.app.receivedSoFar()).extracting(TestAppServer.Received::uri).doesNotContain("/api/third");
		assertThat(exchange(open(junction.managementPort()), "/actuator/health"))
			.as("the management port is not held back")
			.startsWith("HTTP/1.1 200 ");

		first.close();
		third.setSoTimeout(10_000);
		assertThat(readAnswer(third.getInputStream())).startsWith("HTTP/1.1 200 ");
		assertThat(exchange(second, "/api/second-again")).startsWith("HTTP/1.1 200 ");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(limit.open()).isEqualTo(2));
		Scrape scrape = Scrape.of(junction);
		assertThat(scrape.value("junction_connections_open")).isEqualTo(2.0);
		assertThat(scrape.value("junction_connections_limit_reached_total")).isGreaterThanOrEqualTo(1.0);
		assertThat(mostOpen.get()).as("the most connections open at once").isEqualTo(2);
	}

	@Test
	void theConnectionLimitIsTenThousandByDefault() {
		RequestLimitsProperties limits = new Binder(new MapConfigurationPropertySource())
			.bindOrCreate(RequestLimitsProperties.PREFIX, RequestLimitsProperties.class);
		assertThat(limits.getMaxConnections()).isEqualTo(10_000);
	}

	@Test
	void aConnectionLimitOfZeroIsRefusedNamingTheKey() {
		assertThat(Startup.refusal("junction.limits.max-connections=0").getKey())
			.isEqualTo("junction.limits.max-connections");
	}

	private RunningJunction junction(Map<String, List<TestAppServer>> pools, String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		if (!pools.isEmpty()) {
			all.addAll(Startup.routeEverythingTo("api"));
		}
		RunningJunction junction = Startup.junction(pools, all.toArray(String[]::new));
		this.closing.add(junction);
		return junction;
	}

	private Socket open(int port) throws IOException {
		Socket socket = new Socket("127.0.0.1", port);
		socket.setSoTimeout(10_000);
		this.closing.add(socket);
		return socket;
	}

	/** Sends a keep-alive GET on {@code socket} and reads its whole answer. */
	private static String exchange(Socket socket, String path) throws IOException {
		send(socket, path);
		return readAnswer(socket.getInputStream());
	}

	private static void send(Socket socket, String path) throws IOException {
		socket.getOutputStream()
			.write(("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
		socket.getOutputStream().flush();
	}

	// A head, then a body by Content-Length or in chunks.
	private static String readAnswer(InputStream in) throws IOException {
		String head = readUntil(in, "\r\n\r\n");
		StringBuilder answer = new StringBuilder(head);
		String lower = head.toLowerCase();
		int length = lower.indexOf("\r\ncontent-length:");
		if (length >= 0) {
			int end = lower.indexOf("\r\n", length + 2);
			int bytes = Integer.parseInt(head.substring(length + 17, end).trim());
			answer.append(new String(in.readNBytes(bytes), StandardCharsets.UTF_8));
		}
		else if (lower.contains("\r\ntransfer-encoding: chunked")) {
			while (true) {
				String size = readUntil(in, "\r\n").trim();
				int bytes = Integer.parseInt(size, 16);
				if (bytes == 0) {
					readUntil(in, "\r\n");
					break;
				}
				answer.append(new String(in.readNBytes(bytes), StandardCharsets.UTF_8));
				readUntil(in, "\r\n");
			}
		}
		return answer.toString();
	}

	private static String readUntil(InputStream in, String end) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		while (!read.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
			int b = in.read();
			if (b < 0) {
				throw new AssertionError("connection closed after: " + read.toString(StandardCharsets.ISO_8859_1));
			}
			read.write(b);
		}
		return read.toString(StandardCharsets.ISO_8859_1);
	}

}

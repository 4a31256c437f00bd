package io.junction.ratelimit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.JunctionProcess;
import io.junction.RedisServer;
import io.junction.RunningJunction;
import io.junction.Scrape;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The RateLimit route filter against a real Redis: the limit is shared by replicas, a
 * client over it gets 429 with Retry-After and RateLimit-* headers, and without Redis
 * requests pass (or not, with fail-open: false) and are counted.
 */
class RateLimitTests {

	private static final String ROUTE = "spring.cloud.gateway.server.webflux.routes[0]";

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private TestAppServer app;

	private RedisServer redis;

	private final List<AutoCloseable> junctions = new ArrayList<>();

	@BeforeEach
	void start() throws IOException {
		Assumptions.assumeTrue(RedisServer.isInstalled(),
				"redis-server is not installed (apt-get install redis-server)");
		this.app = TestAppServer.start("app01");
		this.redis = RedisServer.start();
	}

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable junction : this.junctions) {
			junction.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void aClientOverTheLimitGets429FromTwoJunctionProcessesTogether() throws Exception {
		List<String> properties = new ArrayList<>(List.of(this.redis.properties()));
		properties.addAll(List.of("junction.backends.api.servers[0].name=app01",
				"junction.backends.api.servers[0].url=" + this.app.url()));
		properties.addAll(limitedRoute("RateLimit=1, 5"));
		JunctionProcess first = JunctionProcess.start("first", properties);
		this.junctions.add(first);
		JunctionProcess second = JunctionProcess.start("second", properties);
		this.junctions.add(second);

		// Alternating: each replica alone would let 10 of the 20 through.
		int allowed = 0;
		int refusedByFirst = 0;
		int refusedBySecond = 0;
		long started = System.nanoTime();
		for (int i = 0; i < 20; i++) {
			boolean toFirst = i % 2 == 0;
			int status = get(toFirst ? first.port() : second.port(), "203.0.113.7").statusCode();
			if (status == 200) {
				allowed++;
			}
			else {
				assertThat(status).isEqualTo(429);
				if (toFirst) {
					refusedByFirst++;
				}
				else {
					refusedBySecond++;
				}
			}
		}
		long seconds = (System.nanoTime() - started) / 1_000_000_000L;

		// The burst of 5, and 1 more for each second the requests took (and the one they
		// began in).
		assertThat(allowed).isBetween(5, (int) (6 + seconds));
		assertThat(allowed).as("fewer than one replica alone would allow").isLessThan(10);
		assertThat(refusedByFirst).isPositive();
		assertThat(refusedBySecond).isPositive();
	}

	@Test
	void answersCarryRateLimitHeadersAndA429CarriesRetryAfter() throws Exception {
		RunningJunction junction = junction(limitedRoute("RateLimit=1, 3"));
		List<HttpResponse<String>> responses = new ArrayList<>();
		// 3 in the burst, and at most 1 more if Redis's clock ticks a second meanwhile.
		for (int i = 0; i < 6; i++) {
			responses.add(get(junction.port(), "203.0.113.8"));
		}
		HttpResponse<String> firstAllowed = responses.get(0);
		assertThat(firstAllowed.statusCode()).isEqualTo(200);
		assertThat(firstAllowed.headers().firstValue("RateLimit-Limit")).hasValue("3");
		assertThat(firstAllowed.headers().firstValue("RateLimit-Remaining")).hasValue("2");
		assertThat(firstAllowed.headers().firstValue("Retry-After")).isEmpty();

		HttpResponse<String> refused = responses.stream()
			.filter((response) -> response.statusCode() == 429)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no 429 among " + responses));
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
		assertThat(refused.headers().firstValue("RateLimit-Reset")).isPresent();
		assertThat(this.app.receivedSoFar()).hasSizeLessThan(6);
	}

	@Test
	void eachClientAddressAndEachHeaderValueHasItsOwnLimit() throws Exception {
		RunningJunction byAddress = junction(limitedRoute("RateLimit=1, 1"));
		assertThat(refusedAmongThree(() -> get(byAddress.port(), "203.0.113.9"))).isTrue();
		assertThat(get(byAddress.port(), "203.0.113.10").statusCode())
			.as("another client behind the same trusted proxy")
			.isEqualTo(200);
		this.junctions.remove(byAddress);
		byAddress.close();

		RunningJunction byHeader = junction(limitedRoute("RateLimit=1, 1, header:X-Api-Key"));
		assertThat(refusedAmongThree(() -> getWithKey(byHeader.port(), "key-a"))).isTrue();
		assertThat(getWithKey(byHeader.port(), "key-b").statusCode()).as("another key, same address").isEqualTo(200);
	}

	@Test
	void withRedisStoppedRequestsPassAndTheErrorCounterMoves() throws Exception {
		RunningJunction junction = junction(limitedRoute("RateLimit=1, 1"));
		assertThat(refusedAmongThree(() -> get(junction.port(), "203.0.113.11"))).isTrue();

		this.redis.stop();
		for (int i = 0; i < 5; i++) {
			assertThat(get(junction.port(), "203.0.113.11").statusCode()).as("fail-open").isEqualTo(200);
		}
		assertThat(Scrape.of(junction).value("junction_rate_limit_redis_errors_total")).isGreaterThanOrEqualTo(5);
	}

	@Test
	void withFailOpenFalseAndRedisStoppedRequestsGet429() throws Exception {
		List<String> properties = limitedRoute("RateLimit=100");
		properties.add("junction.rate-limit.fail-open=false");
		RunningJunction junction = junction(properties);
		assertThat(get(junction.port(), "203.0.113.12").statusCode()).isEqualTo(200);

		this.redis.stop();
		assertThat(get(junction.port(), "203.0.113.12").statusCode()).isEqualTo(429);
		await().until(() -> Scrape.of(junction).value("junction_rate_limit_redis_errors_total") >= 1);
		assertThat(this.app.receivedSoFar()).hasSize(1);
	}

	@Test
	void badRateLimitArgumentsAreRefusedNamingTheKey() {
		String filter = ROUTE + ".filters[0]";
		assertThat(refusal(filter + "=RateLimit=0")).isEqualTo(filter + ".args.requests-per-second");
		assertThat(refusal(filter + "=RateLimit=10, 5")).isEqualTo(filter + ".args.burst");
		assertThat(refusal(filter + "=RateLimit=10, 20, cookie:session")).isEqualTo(filter + ".args.key");
		assertThat(refusal(filter + ".name=RateLimit", filter + ".args.requests-per-second=ten"))
			.isEqualTo(filter + ".args.requests-per-second");
		assertThat(Startup.refusal("junction.rate-limit.redis-timeout=0s").getKey())
			.isEqualTo("junction.rate-limit.redis-timeout");
	}

	/**
	 * Whether one of three quick requests with a burst of 1 is refused: the first takes
	 * the token, and Redis's clock can tick (refill) once between them at most.
	 */
	private static boolean refusedAmongThree(Request request) throws Exception {
		boolean refused = false;
		for (int i = 0; i < 3; i++) {
			int status = request.send().statusCode();
			assertThat(status).isIn(200, 429);
			refused |= status == 429;
		}
		return refused;
	}

	interface Request {

		HttpResponse<String> send() throws Exception;

	}

	private static String refusal(String... filter) {
		List<String> properties = new ArrayList<>(
				List.of(ROUTE + ".id=limited", ROUTE + ".uri=http://127.0.0.1:1", ROUTE + ".predicates[0]=Path=/**"));
		properties.addAll(List.of(filter));
		return Startup.refusal(properties.toArray(String[]::new)).getKey();
	}

	private static List<String> limitedRoute(String filter) {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("api"));
		properties.add(ROUTE + ".filters[0]=" + filter);
		return properties;
	}

	private RunningJunction junction(List<String> properties) {
		List<String> all = new ArrayList<>(List.of(this.redis.properties()));
		all.addAll(properties);
		RunningJunction junction = Startup.junction(Map.of("api", List.of(this.app)), all.toArray(String[]::new));
		this.junctions.add(junction);
		return junction;
	}

	// Loopback is a trusted proxy, so the client is the address it forwarded for.
	private HttpResponse<String> get(int port, String forwardedFor) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/limited"))
			.header("X-Forwarded-For", forwardedFor)
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> getWithKey(int port, String key) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/limited"))
			.header("X-Api-Key", key)
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

}

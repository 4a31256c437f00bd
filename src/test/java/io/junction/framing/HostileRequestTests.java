package io.junction.framing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.junction.RunningJunction;
import io.junction.Scrape;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bad-input corpus ({@code framing/hostile-requests.txt}) over raw sockets, against
 * Junction with a real app server behind it that records what it receives: each hostile
 * request gets its status and a closed connection and reaches no server; each valid one
 * reaches the server once, with one framing. After every entry a plain request is served,
 * and is the only other thing the server saw.
 */
class HostileRequestTests {

	private static TestAppServer app;

	private static RunningJunction junction;

	@BeforeAll
	static void start() {
		app = TestAppServer.start("app01");
		junction = Startup.junction(Map.of("api", List.of(app)),
				Startup.routeEverythingTo("api").toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		junction.close();
		app.close();
	}

	@BeforeEach
	void forgetEarlierRequests() {
		app.clear();
	}

	static Stream<Entry> corpus() throws IOException {
		return Entry.read("/framing/hostile-requests.txt").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void eachEntryGetsItsAnswerAndNoServerSeesItAmbiguously(Entry entry) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", junction.port())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(entry.request());
			Response response = Response.read(socket.getInputStream());

			assertThat(response.status()).as(response.text()).isEqualTo(entry.status());
			if (entry.status() >= 400) {
				assertThat(response.text()).contains("Connection: close");
				assertThat(socket.getInputStream().read()).as("the connection is closed").isEqualTo(-1);
			}
		}
		assertPlainRequestServed();
		List<TestAppServer.Received> received = app.receivedSoFar();
		if (entry.body() == null) {
			assertThat(received).extracting(TestAppServer.Received::uri).containsExactly("/api/after");
		}
		else {
			assertThat(received).hasSize(2);
			TestAppServer.Received request = received.get(0);
			assertThat(request.body()).isEqualTo(entry.body());
			boolean length = request.headers().containsHeader("Content-Length");
			boolean chunked = request.headers().containsHeader("Transfer-Encoding");
			assertThat(length ^ chunked).as("one framing: %s", request.headers()).isTrue();
		}
	}

	@Test
	void aRequestLineOverTheLimitGets414() throws IOException {
		String target = "/api/" + "a".repeat(9 * 1024);
		Response response = send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
		assertThat(response.status()).isEqualTo(414);
		assertThat(response.text()).contains("request line longer than 8192 bytes");
		assertPlainRequestServed();
	}

	@Test
	void headerLinesOverTheLimitInBytesGet431() throws IOException {
		String header = "X-Big: " + "b".repeat(17 * 1024) + "\r\n";
		Response response = send("GET /api/big HTTP/1.1\r\nHost: a\r\n" + header + "\r\n");
		assertThat(response.status()).isEqualTo(431);
		assertThat(response.text()).contains("header lines longer than 16384 bytes");
		assertPlainRequestServed();
	}

	@Test
	void moreHeadersThanTheLimitGet431() throws IOException {
		StringBuilder headers = new StringBuilder();
		for (int i = 0; i < 101; i++) {
			headers.append("X-H").append(i).append(": v\r\n");
		}
		Response response = send("GET /api/many HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n");
		assertThat(response.status()).isEqualTo(431);
		assertThat(response.text()).contains("more than 100 headers");
		assertPlainRequestServed();
	}

	@Test
	void headsWithinTheLimitsAreServed() throws IOException {
		StringBuilder headers = new StringBuilder();
		for (int i = 0; i < 99; i++) {
			headers.append("X-H").append(i).append(": v\r\n");
		}
		// Within what the app server behind takes, too (Netty: 4 KiB).
		String target = "/api/" + "a".repeat(3 * 1024);
		Response response = send("GET " + target + " HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n");
		assertThat(response.status()).as(response.text()).isEqualTo(200);
	}

	@Test
	void aRefusalReadWithAGoodRequestIsAnsweredAfterIt() throws IOException {
		String good = "GET /api/first HTTP/1.1\r\nHost: a\r\n\r\n";
		String bad = "POST /api/smuggle HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello";
		try (Socket socket = new Socket("127.0.0.1", junction.port())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write((good + bad).getBytes(StandardCharsets.ISO_8859_1));
			Response first = Response.read(socket.getInputStream());
			assertThat(first.status()).as(first.text()).isEqualTo(200);
			assertThat(first.text()).endsWith("app01");
			assertThat(Response.read(socket.getInputStream()).status()).isEqualTo(400);
			assertThat(socket.getInputStream().read()).as("the connection is closed").isEqualTo(-1);
		}
		assertThat(app.receivedSoFar()).extracting(TestAppServer.Received::uri).containsExactly("/api/first");
	}

	@Test
	void aRefusalWaitsForTheAnswerToTheRequestInFlightBeforeIt() throws IOException {
		app.behave(TestAppServer.Behaviour.SLOW);
		try (Socket socket = new Socket("127.0.0.1", junction.port())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write("GET /api/slow HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			await().atMost(Duration.ofSeconds(10)).until(() -> app.receivedSoFar().size() == 1);
			out.write("GET /api/bad HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			Response first = Response.read(socket.getInputStream());
			assertThat(first.status()).as(first.text()).isEqualTo(200);
			assertThat(first.text()).endsWith("app01");
			Response second = Response.read(socket.getInputStream());
			assertThat(second.status()).isEqualTo(400);
			assertThat(second.text()).contains("no Host header");
		}
		finally {
			app.behave(TestAppServer.Behaviour.ANSWER);
		}
	}

	@Test
	void pipelinedRequestsAreEachReadOnce() throws IOException {
		String hidden = "GET /api/hidden HTTP/1.1\r\nHost: a\r\n\r\n";
		String first = "POST /api/one HTTP/1.1\r\nHost: a\r\nContent-Length: " + hidden.length() + "\r\n\r\n" + hidden;
		String second = "POST /api/two HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
		try (Socket socket = new Socket("127.0.0.1", junction.port())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write((first + second).getBytes(StandardCharsets.ISO_8859_1));
			assertThat(Response.read(socket.getInputStream()).status()).isEqualTo(200);
			assertThat(Response.read(socket.getInputStream()).status()).isEqualTo(200);
		}
		assertThat(app.receivedSoFar()).extracting(TestAppServer.Received::uri)
			.as("a body that looks like a request is a body")
			.containsExactly("/api/one", "/api/two");
	}

	@Test
	void refusalsAreCountedByStatus() throws IOException {
		Scrape before = Scrape.of(junction);
		send("POST /api/smuggle HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello");
		send("GET /api/" + "a".repeat(9 * 1024) + " HTTP/1.1\r\nHost: a\r\n\r\n");
		Scrape after = Scrape.of(junction);
		for (String status : List.of("400", "414")) {
			assertThat(after.value("junction_refused_requests_total", "status", status))
				.isEqualTo(before.value("junction_refused_requests_total", "status", status) + 1);
		}
		assertThat(after.value("junction_refused_requests_total", "status", "431"))
			.isEqualTo(before.value("junction_refused_requests_total", "status", "431"));
	}

	@Test
	void aLimitOutOfRangeIsRefusedNamingTheKey() {
		assertThat(Startup.refusal("junction.limits.max-header-count=0").getKey())
			.isEqualTo("junction.limits.max-header-count");
		assertThat(Startup.refusal("junction.limits.max-request-line=2MB").getKey())
			.isEqualTo("junction.limits.max-request-line");
	}

	private static Response send(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", junction.port())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			return Response.read(socket.getInputStream());
		}
	}

	private static void assertPlainRequestServed() {
		junction.traffic().get().uri("/api/after").exchange().expectStatus().isOk();
	}

	/** One entry of the corpus. */
	record Entry(String name, int status, String body, byte[] request) {

		static List<Entry> read(String resource) throws IOException {
			List<Entry> entries = new ArrayList<>();
			String text;
			try (InputStream in = HostileRequestTests.class.getResourceAsStream(resource)) {
				text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			String name = null;
			String expect = null;
			for (String line : text.split("\n")) {
				if (line.startsWith("### ")) {
					name = line.substring(4);
				}
				else if (line.startsWith("expect: ")) {
					expect = line.substring(8);
				}
				else if (!line.isBlank() && !line.startsWith("#") && name != null && expect != null) {
					String[] parts = expect.split(" ", 2);
					entries.add(new Entry(name, Integer.parseInt(parts[0]), (parts.length > 1) ? parts[1] : null,
							unescape(line)));
					name = null;
					expect = null;
				}
			}
			return entries;
		}

		static byte[] unescape(String line) {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			for (int i = 0; i < line.length(); i++) {
				char c = line.charAt(i);
				if (c != '\\') {
					bytes.write(c);
					continue;
				}
				char escaped = line.charAt(++i);
				switch (escaped) {
					case 'r' -> bytes.write('\r');
					case 'n' -> bytes.write('\n');
					case 't' -> bytes.write('\t');
					case '0' -> bytes.write(0);
					case 'x' -> {
						bytes.write(Integer.parseInt(line.substring(i + 1, i + 3), 16));
						i += 2;
					}
					default -> bytes.write(escaped);
				}
			}
			return bytes.toByteArray();
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/** A response read off a raw socket: its head, and as much body as it says. */
	record Response(int status, String text) {

		static Response read(InputStream in) {
			try {
				ByteArrayOutputStream head = new ByteArrayOutputStream();
				while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
					int b = in.read();
					if (b < 0) {
						throw new AssertionError("connection closed after: " + head);
					}
					head.write(b);
				}
				String text = head.toString(StandardCharsets.ISO_8859_1);
				int length = 0;
				for (String line : text.split("\r\n")) {
					if (line.toLowerCase().startsWith("content-length:")) {
						length = Integer.parseInt(line.substring(15).trim());
					}
				}
				byte[] body = in.readNBytes(length);
				return new Response(Integer.parseInt(text.substring(9, 12)),
						text + new String(body, StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}

package io.junction.framing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.pools.PoolServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bad-response corpus ({@code framing/hostile-responses.txt}): a raw app server
 * answers with each entry's bytes behind a real Junction, and a raw client reads what
 * Junction makes of it. Each hostile response gets the client Junction's 502 and the
 * server's connection closed; each valid one reaches the client with one framing. After
 * every entry the same server's plain answer is served.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileResponseTests {

	private static final byte[] PLAIN = ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nplain");

	private static RawAppServer app;

	private static RunningJunction junction;

	@BeforeAll
	static void start() throws IOException {
		app = RawAppServer.start();
		String pool = "junction.backends.raw.";
		List<String> properties = new ArrayList<>(List.of(pool + "servers[0].name=raw01",
				pool + "servers[0].url=" + app.url(), pool + "health-check.enabled=false",
				// Each entry's refusal counts against the one server: it must stay in.
				pool + "passive-check.consecutive-errors=1000", "junction.access-log.enabled=true"));
		properties.addAll(Startup.routeEverythingTo("raw"));
		junction = Startup.junction(Map.of(), properties.toArray(String[]::new));
	}

	@AfterAll
	static void stop() throws IOException {
		junction.close();
		app.close();
	}

	static Stream<Entry> corpus() throws IOException {
		return Entry.read("/framing/hostile-responses.txt").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void eachHostileResponseGets502AndAClosedServerConnectionAndEachValidOneOneFraming(Entry entry) throws IOException {
		app.respondWith(entry.response(), entry.close());
		Answer answer = Answer.of(entry.method(), "/raw/entry");

		assertThat(answer.status()).as(answer.head()).isEqualTo(entry.status());
		assertThat(answer.has("Content-Length") && answer.has("Transfer-Encoding")).as("one framing: %s", answer.head())
			.isFalse();
		if (entry.status() == 502) {
			assertThat(answer.body()).isEqualTo("502 Bad Gateway: route 'raw': the server sent an invalid response\n");
			RawAppServer.Connection connection = app.lastAnswered();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(connection.closedByPeer()).as("server connection closed").isTrue());
		}
		else {
			assertThat(answer.body()).isEqualTo((entry.body() != null) ? entry.body() : "");
			if (!answer.body().isEmpty()) {
				assertThat(answer.has("Content-Length") ^ answer.has("Transfer-Encoding")).as(answer.head()).isTrue();
			}
		}
		assertPlainAnswerServed();
	}

	@Test
	void aRefusedResponseIsLoggedAsBadResponseAndIsAPassiveCheckFailureThatSaysWhy(CapturedOutput output)
			throws IOException {
		app.respondWith(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"), false);
		assertThat(Answer.of("GET", "/raw/twice").status()).isEqualTo(502);
		PoolServer server = junction.pool("raw").servers().get(0);
		assertThat(server.state().lastFailure()).isEqualTo("bad response framing: Content-Length given twice");
		String logged = await().atMost(Duration.ofSeconds(10))
			.until(() -> output.getOut()
				.lines()
				.filter((line) -> line.contains("junction.access") && line.contains(" /raw/twice\""))
				.findFirst(), Optional::isPresent)
			.get();
		assertThat(logged).contains(" 502 ").contains(" bad-response \"GET /raw/twice\"");
		assertPlainAnswerServed();
	}

	@Test
	void aBadChunkAfterTheHeadWasPassedOnCutsTheResponseShortAndClosesTheServerConnection() throws IOException {
		CompletableFuture<byte[]> rest = app
			.respondInTwoParts(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"));
		try (Socket socket = new Socket("127.0.0.1", junction.port())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(ascii("GET /raw/late HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
			InputStream in = socket.getInputStream();
			StringBuilder head = new StringBuilder();
			while (head.indexOf("\r\n\r\n") < 0) {
				head.append((char) in.read());
			}
			assertThat(head).startsWith("HTTP/1.1 200 ");
			RawAppServer.Connection connection = app.lastAnswered();
			rest.complete(ascii("zz\r\nhello\r\n0\r\n\r\n"));
			String body = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(body).as("no end of the chunked body").doesNotEndWith("0\r\n\r\n").doesNotContain("hello");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(connection.closedByPeer()).as("server connection closed").isTrue());
		}
		assertPlainAnswerServed();
	}

	@Test
	void theServerConnectionOfAValidChunkedResponseServesTheNextRequest() throws IOException {
		app.respondWith(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"), false);
		assertThat(Answer.of("GET", "/raw/one").body()).isEqualTo("abc");
		RawAppServer.Connection first = app.lastAnswered();
		assertPlainAnswerServed();
		assertThat(app.lastAnswered()).as("the response's end found, the connection reused").isSameAs(first);
		assertThat(first.closedByPeer()).isFalse();
	}

	private static void assertPlainAnswerServed() throws IOException {
		app.respondWith(PLAIN, false);
		Answer answer = Answer.of("GET", "/raw/after");
		assertThat(answer.status()).as(answer.head()).isEqualTo(200);
		assertThat(answer.body()).isEqualTo("plain");
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	/** One entry of the corpus. */
	record Entry(String name, String method, boolean close, int status, String body, byte[] response) {

		static List<Entry> read(String resource) throws IOException {
			List<Entry> entries = new ArrayList<>();
			String text;
			try (InputStream in = HostileResponseTests.class.getResourceAsStream(resource)) {
				text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			String name = null;
			String expect = null;
			String method = "GET";
			boolean close = false;
			for (String line : text.split("\n")) {
				if (line.startsWith("### ")) {
					name = line.substring(4);
				}
				else if (line.startsWith("expect: ")) {
					expect = line.substring(8);
				}
				else if (line.startsWith("request: ")) {
					method = line.substring(9);
				}
				else if (line.equals("then: close")) {
					close = true;
				}
				else if (!line.isBlank() && !line.startsWith("#") && name != null && expect != null) {
					String[] parts = expect.split(" ", 2);
					entries.add(new Entry(name, method, close, Integer.parseInt(parts[0]),
							(parts.length > 1) ? parts[1] : null, HostileRequestTests.Entry.unescape(line)));
					name = null;
					expect = null;
					method = "GET";
					close = false;
				}
			}
			return entries;
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * What a client reads from Junction over a raw socket, to the end (it asks Junction
	 * to close): the head as sent, and the body decoded from its one framing.
	 */
	record Answer(int status, String head, String body) {

		static Answer of(String method, String path) throws IOException {
			byte[] bytes;
			try (Socket socket = new Socket("127.0.0.1", junction.port())) {
				socket.setSoTimeout(10_000);
				socket.getOutputStream()
					.write(ascii(method + " " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
				bytes = socket.getInputStream().readAllBytes();
			}
			String text = new String(bytes, StandardCharsets.ISO_8859_1);
			int headEnd = text.indexOf("\r\n\r\n");
			assertThat(headEnd).as("a whole head: %s", text).isGreaterThan(0);
			String head = text.substring(0, headEnd + 2);
			String rest = text.substring(headEnd + 4);
			Answer answer = new Answer(Integer.parseInt(head.substring(9, 12)), head, rest);
			if (answer.has("Transfer-Encoding")) {
				return new Answer(answer.status(), head, dechunk(rest));
			}
			return answer;
		}

		boolean has(String name) {
			String lower = name.toLowerCase() + ":";
			for (String line : this.head.split("\r\n")) {
				if (line.toLowerCase().startsWith(lower)) {
					return true;
				}
			}
			return false;
		}

		private static String dechunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (true) {
				int lineEnd = chunked.indexOf("\r\n", at);
				String size = chunked.substring(at, lineEnd);
				int semicolon = size.indexOf(';');
				int length = Integer.parseInt((semicolon >= 0) ? size.substring(0, semicolon) : size, 16);
				if (length == 0) {
					return body.toString();
				}
				body.append(chunked, lineEnd + 2, lineEnd + 2 + length);
				at = lineEnd + 2 + length + 2;
			}
		}

	}

}

package io.junction.framing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.framing.HostileRequestTests.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends its request head slowly (slowloris) is cut off after the head
 * timeout, {@code junction.limits.request-head-timeout}, while other clients are served;
 * a connection between requests is not a head being sent.
 */
class SlowClientTests {

	private static final String SLOW_HEAD = "GET /api/slow HTTP/1.1\r\nHost: a\r\nX-Slow: " + "s".repeat(100)
			+ "\r\n\r\n";

	private final TestAppServer app = TestAppServer.start("app01");

	private RunningJunction junction;

	@AfterEach
	void stop() {
		if (this.junction != null) {
			this.junction.close();
		}
		this.app.close();
	}

	@Test
	void aClientSendingOneHeadByteASecondIsCutOffWhileSixteenOthersAreServed() throws Exception {
		this.junction = Startup.junction(Map.of("api", List.of(this.app)),
				Startup.routeEverythingTo("api").toArray(String[]::new));
		ExecutorService threads = Executors.newCachedThreadPool();
		AtomicBoolean slowClientsConnected = new AtomicBoolean(true);
		try {
			List<Future<Integer>> clients = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				clients.add(threads.submit(() -> requestsServedWhile(slowClientsConnected)));
			}
			// Each slow client reads while it writes: a byte written after Junction
			// closed
			// would bring a reset that drops an answer not yet read.
			List<Future<Response>> slowClients = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				Socket socket = new Socket("127.0.0.1", this.junction.port());
				socket.setSoTimeout(30_000);
				AtomicBoolean answered = new AtomicBoolean();
				threads.submit(() -> sendOneByteASecond(socket, answered));
				slowClients.add(threads.submit(() -> readAnswerAndClose(socket, answered)));
			}
			List<Response> answers = new ArrayList<>();
			for (Future<Response> slowClient : slowClients) {
				answers.add(slowClient.get());
			}
			slowClientsConnected.set(false);

			assertThat(answers).allSatisfy((answer) -> {
				assertThat(answer.status()).isEqualTo(408);
				assertThat(answer.text()).contains("request head not received within 10000 ms");
			});
			for (Future<Integer> client : clients) {
				assertThat(client.get()).as("requests one client had served meanwhile").isGreaterThanOrEqualTo(10);
			}
			assertThat(this.app.receivedSoFar()).extracting(TestAppServer.Received::uri)
				.as("no server saw the slow requests")
				.doesNotContain("/api/slow");
		}
		finally {
			// Let the fast clients finish their requests rather than cut them off.
			slowClientsConnected.set(false);
			threads.shutdown();
			threads.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
		}
	}

	@Test
	void theHeadTimeoutTimesEachHeadNotTheConnection() throws Exception {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("api"));
		properties.add("junction.limits.request-head-timeout=1s");
		this.junction = Startup.junction(Map.of("api", List.of(this.app)), properties.toArray(String[]::new));
		try (Socket socket = new Socket("127.0.0.1", this.junction.port())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			for (int i = 0; i < 3; i++) {
				// Each head comes in two parts 400 ms apart, and the connection rests 800
				// ms between requests: 3.6 s on one connection, no head longer than 1 s.
				out.write(ascii("GET /api/paced HTTP/1.1\r\nHo"));
				out.flush();
				Thread.sleep(400);
				out.write(ascii("st: a\r\n\r\n"));
				out.flush();
				assertThat(Response.read(socket.getInputStream()).status()).isEqualTo(200);
				Thread.sleep(800);
			}
		}
		assertThat(this.app.receivedSoFar()).hasSize(3);
	}

	@Test
	void aHeadTimeoutOutOfRangeIsRefusedNamingTheKey() {
		assertThat(Startup.refusal("junction.limits.request-head-timeout=0s").getKey())
			.isEqualTo("junction.limits.request-head-timeout");
	}

	private int requestsServedWhile(AtomicBoolean slowClientsConnected) throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.junction.port() + "/api/fast"))
			.build();
		int served = 0;
		while (slowClientsConnected.get()) {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			served++;
		}
		return served;
	}

	// The slow client's pace is what is under test, so it sleeps between its bytes.
	private static Void sendOneByteASecond(Socket socket, AtomicBoolean answered) throws Exception {
		OutputStream out = socket.getOutputStream();
		try {
			for (byte b : ascii(SLOW_HEAD)) {
				if (answered.get()) {
					return null;
				}
				out.write(b);
				out.flush();
				Thread.sleep(1000);
			}
		}
		catch (IOException closed) {
			// Cut off, as it should be.
		}
		return null;
	}

	private static Response readAnswerAndClose(Socket socket, AtomicBoolean answered) throws IOException {
		try (socket) {
			Response answer = Response.read(socket.getInputStream());
			answered.set(true);
			int next;
			try {
				next = socket.getInputStream().read();
			}
			catch (java.net.SocketException reset) {
				// Closed by Junction, and reset by a byte the writer sent meanwhile.
				next = -1;
			}
			assertThat(next).as("the connection is closed").isEqualTo(-1);
			return answer;
		}
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}

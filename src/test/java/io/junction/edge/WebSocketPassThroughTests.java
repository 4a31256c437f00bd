package io.junction.edge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.junction.Ports;
import io.junction.Scrape;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * WebSocket through Junction: a real WebSocket server (Reactor Netty) behind a pool, the
 * JDK's WebSocket client on the traffic port. Messages go both ways through the route's
 * rewrite, a close from either side reaches the other with its code and reason, a server
 * that refuses the upgrade is heard, and shutdown closes open sessions with 1001 once the
 * drain delay is over.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebSocketPassThroughTests {

	private final BlockingQueue<String> handshakes = new LinkedBlockingQueue<>();

	private final CompletableFuture<WebSocketCloseStatus> serverSawClose = new CompletableFuture<>();

	private DisposableServer server;

	@BeforeEach
	void startWebSocketServer() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.ws("/chat", this::echo, spec().build())
				.ws("/superchat", this::echo, spec().protocols("superchat").build())
				.get("/private",
						(request, response) -> response.status(403)
							.header("X-Refused", "no token")
							.sendString(Mono.just("forbidden"))))
			.bindNow();
	}

	@AfterEach
	void stopWebSocketServer() {
		this.server.disposeNow();
	}

	@Test
	void messagesPassBothWaysThroughTheRoutesRewrite() throws Exception {
		try (RunningJunction junction = junction()) {
			Client client = Client.connect(junction, "/ws/superchat", "chat", "superchat");

			assertThat(client.socket.getSubprotocol()).as("the server's choice reaches the client")
				.isEqualTo("superchat");
			assertThat(this.handshakes.poll(10, TimeUnit.SECONDS)).as("X-Forwarded-For and Host the server saw")
				.isEqualTo("127.0.0.1 127.0.0.1:" + this.server.port());
			client.socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
			assertThat(client.next()).isEqualTo("text:echo hello");
			assertThat(Scrape.of(junction).value("junction_websocket_sessions")).as("open sessions").isEqualTo(1);
			client.socket.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true).get(10, TimeUnit.SECONDS);
			assertThat(client.next()).isEqualTo("binary:3");
			String large = "x".repeat(200_000);
			client.socket.sendText(large, true).get(10, TimeUnit.SECONDS);
			assertThat(client.next()).as("a message larger than Reactor Netty's 64 KiB default frame")
				.isEqualTo("text:echo " + large);
			client.socket.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8)));
			assertThat(client.next()).isEqualTo("pong:are you there");
			client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
			client.closed.get(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(Scrape.of(junction).value("junction_websocket_sessions")).isZero());
		}
	}

	@Test
	void aClientsCloseReachesTheServerWithItsCodeAndReason(CapturedOutput output) throws Exception {
		try (RunningJunction junction = junction("junction.access-log.enabled=true")) {
			Client client = Client.connect(junction, "/ws/chat");
			client.socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
			assertThat(client.next()).isEqualTo("text:echo hello");

			client.socket.sendClose(4001, "client done").get(10, TimeUnit.SECONDS);

			WebSocketCloseStatus seen = this.serverSawClose.get(10, TimeUnit.SECONDS);
			assertThat(seen.code()).isEqualTo(4001);
			assertThat(seen.reasonText()).isEqualTo("client done");
			assertThat(client.closed.get(10, TimeUnit.SECONDS)).startsWith("4001");
			String line = awaitLine(output, "/ws/chat");
			assertThat(line).as("the session's status, the side that closed it, the bytes of its frames both ways")
				.contains(" 101 ", "client-closed", " 5 10 ");
		}
	}

	@Test
	void aServersCloseReachesTheClientWithItsCodeAndReason(CapturedOutput output) throws Exception {
		try (RunningJunction junction = junction("junction.access-log.enabled=true")) {
			Client client = Client.connect(junction, "/ws/chat");

			client.socket.sendText("close", true).get(10, TimeUnit.SECONDS);

			assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo("4000 server done");
			assertThat(awaitLine(output, "/ws/chat")).contains(" 101 ", "server-closed");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(
						Scrape.of(junction).value("junction_route_responses_total", "route", "chat", "code", "1xx"))
					.as("the session counts in the route's meters")
					.isEqualTo(1));
		}
	}

	@Test
	void aServerThatRefusesTheUpgradeIsHeardWithItsStatusAndHeaders() {
		try (RunningJunction junction = junction()) {
			Throwable failure = catchThrowable(() -> Client.connect(junction, "/ws/private"));

			java.net.http.HttpResponse<?> refusal = rootCause(failure).getResponse();
			assertThat(refusal.statusCode()).isEqualTo(403);
			assertThat(refusal.headers().firstValue("X-Refused")).hasValue("no token");
		}
	}

	@Test
	void aPoolWithNoServerListeningAnswers503() {
		int closed = Ports.free();
		try (RunningJunction junction = Startup.junction(Map.of(), pool("http://127.0.0.1:" + closed))) {
			Throwable failure = catchThrowable(() -> Client.connect(junction, "/ws/chat"));

			assertThat(rootCause(failure).getResponse().statusCode()).isEqualTo(503);
		}
	}

	@Test
	void shutdownClosesOpenSessionsWithGoingAwayAfterTheDrainDelay(CapturedOutput output) throws Exception {
		Client client;
		try (RunningJunction junction = junction("junction.shutdown.drain-delay=1s")) {
			client = Client.connect(junction, "/ws/chat");
			client.socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
			assertThat(client.next()).isEqualTo("text:echo hello");
			assertThat(client.closed).as("open until Junction stops").isNotDone();
		}
		assertThat(client.closed.get(10, TimeUnit.SECONDS)).startsWith("1001");
		assertThat(this.serverSawClose.get(10, TimeUnit.SECONDS).code()).isEqualTo(1001);
		assertThat(output.getOut()).contains("closing 1 WebSocket sessions (1001, going away)");
	}

	private RunningJunction junction(String... extra) {
		List<String> properties = new ArrayList<>(List.of(pool("http://127.0.0.1:" + this.server.port())));
		properties.addAll(List.of(extra));
		return Startup.junction(Map.of(), properties.toArray(String[]::new));
	}

	private static String[] pool(String url) {
		String route = "spring.cloud.gateway.server.webflux.routes[0]";
		return new String[] { route + ".id=chat", route + ".uri=lb://chat", route + ".predicates[0]=Path=/ws/**",
				route + ".filters[0]=RewritePath=/ws/(?<rest>.*), /${rest}",
				"junction.backends.chat.servers[0].name=ws01", "junction.backends.chat.servers[0].url=" + url,
				"junction.backends.chat.health-check.enabled=false" };
	}

	private Mono<Void> echo(WebsocketInbound in, WebsocketOutbound out) {
		this.handshakes.add(in.headers().get("X-Forwarded-For") + " " + in.headers().get("Host"));
		in.receiveCloseStatus().subscribe(this.serverSawClose::complete);
		// Whole messages, however the client fragmented them.
		return out.sendObject(in.aggregateFrames(1024 * 1024).receiveFrames().concatMap((frame) -> answer(frame, out)))
			.then();
	}

	// Large enough for the test's large message: Reactor Netty's default is 64 KiB.
	private static WebsocketServerSpec.Builder spec() {
		return WebsocketServerSpec.builder().maxFramePayloadLength(1024 * 1024);
	}

	private static Mono<WebSocketFrame> answer(WebSocketFrame frame,
			reactor.netty.http.websocket.WebsocketOutbound out) {
		if (frame instanceof TextWebSocketFrame text) {
			if (text.text().equals("close")) {
				return out.sendClose(4000, "server done").then(Mono.empty());
			}
			return Mono.just(new TextWebSocketFrame("echo " + text.text()));
		}
		if (frame instanceof BinaryWebSocketFrame binary) {
			return Mono.just(new BinaryWebSocketFrame(binary.content().retain()));
		}
		return Mono.empty();
	}

	private static WebSocketHandshakeException rootCause(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof WebSocketHandshakeException handshake) {
				return handshake;
			}
		}
		throw new AssertionError("no handshake failure", failure);
	}

	private static String awaitLine(CapturedOutput output, String path) {
		String[] found = new String[1];
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			for (String line : output.getOut().split("\n")) {
				if (line.contains("\"GET " + path)) {
					found[0] = line;
					return true;
				}
			}
			return false;
		});
		return found[0];
	}

	/** The JDK's WebSocket client, with what it received as text lines. */
	private static final class Client implements WebSocket.Listener {

		private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		private final CompletableFuture<String> closed = new CompletableFuture<>();

		private final StringBuilder text = new StringBuilder();

		private WebSocket socket;

		static Client connect(RunningJunction junction, String path, String... subprotocols) throws Exception {
			Client client = new Client();
			WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
			if (subprotocols.length > 0) {
				builder.subprotocols(subprotocols[0],
						java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
			}
			client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + junction.port() + path), client)
				.get(10, TimeUnit.SECONDS);
			return client;
		}

		String next() throws InterruptedException {
			String message = this.received.poll(10, TimeUnit.SECONDS);
			assertThat(message).as("a message within 10 s").isNotNull();
			return message;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				this.received.add("text:" + this.text);
				this.text.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			this.received.add("binary:" + data.remaining());
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
			this.received.add("pong:" + StandardCharsets.UTF_8.decode(message));
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode + " " + reason);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

	}

}

package io.junction.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.Haproxy;
import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code junction.proxy-protocol}: behind a load balancer in TCP mode, the client a PROXY
 * protocol header names is the client the app server sees in X-Forwarded-For; a trusted
 * peer that sends no header and an untrusted one that sends one are refused. Loopback
 * addresses other than 127.0.0.1 stand for other machines: only 127.0.0.1 is trusted.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProxyProtocolTests {

	private static final String TRUSTED = "junction.proxy-protocol-trusted=127\\.0\\.0\\.1";

	private static final String ELSEWHERE = "127.0.0.2";

	private final TestAppServer app = TestAppServer.start("app01");

	@AfterEach
	void stopApp() {
		this.app.close();
	}

	@Test
	void v1HeaderFromATrustedPeerNamesTheClientTheAppServerSees() throws IOException {
		try (RunningJunction junction = junction("junction.proxy-protocol=v1")) {
			String answer = send(junction, null, v1("198.51.100.7", 40000), get("/v1"));
			assertThat(answer).startsWith("HTTP/1.1 200 ");
			assertThat(this.app.takeRequest().headers().getFirst("X-Forwarded-For")).isEqualTo("198.51.100.7");
		}
	}

	@Test
	void v2HeaderFromATrustedPeerNamesTheClientTheAppServerSees() throws IOException {
		try (RunningJunction junction = junction("junction.proxy-protocol=v2")) {
			String answer = send(junction, null, v2Proxy("203.0.113.9", 51000), get("/v2"));
			assertThat(answer).startsWith("HTTP/1.1 200 ");
			assertThat(this.app.takeRequest().headers().getFirst("X-Forwarded-For")).isEqualTo("203.0.113.9");
		}
	}

	@Test
	void accessLogShowsTheClientTheHeaderNamed(CapturedOutput output) throws IOException {
		try (RunningJunction junction = junction("junction.proxy-protocol=v1", "junction.access-log.enabled=true")) {
			assertThat(send(junction, null, v1("198.51.100.7", 40000), get("/logged"))).startsWith("HTTP/1.1 200 ");
			await().atMost(java.time.Duration.ofSeconds(10))
				.until(() -> output.getOut()
					.lines()
					.anyMatch((line) -> line.contains("/logged") && line.contains("198.51.100.7:40000")));
		}
	}

	@Test
	void anyAcceptsBothVersions() throws IOException {
		try (RunningJunction junction = junction("junction.proxy-protocol=any")) {
			assertThat(send(junction, null, v1("198.51.100.7", 40000), get("/one"))).startsWith("HTTP/1.1 200 ");
			assertThat(send(junction, null, v2Proxy("203.0.113.9", 51000), get("/two"))).startsWith("HTTP/1.1 200 ");
			assertThat(this.app.takeRequest().headers().getFirst("X-Forwarded-For")).isEqualTo("198.51.100.7");
			assertThat(this.app.takeRequest().headers().getFirst("X-Forwarded-For")).isEqualTo("203.0.113.9");
		}
	}

	@Test
	void localHeaderOfTheBalancersOwnCheckLeavesThePeerAsClient() throws IOException {
		try (RunningJunction junction = junction("junction.proxy-protocol=v2")) {
			assertThat(send(junction, null, v2Local(), get("/check"))).startsWith("HTTP/1.1 200 ");
			assertThat(this.app.takeRequest().headers().getFirst("X-Forwarded-For")).isEqualTo("127.0.0.1");
		}
	}

	@Test
	void trustedPeerThatSendsNoHeaderIsClosedBeforeHttp() throws IOException {
		try (RunningJunction junction = junction("junction.proxy-protocol=any")) {
			assertThat(send(junction, null, get("/bare"))).isEmpty();
			assertThat(this.app.pollRequest()).isNull();
		}
	}

	@Test
	void headerOfAVersionNotAcceptedIsRefused() throws IOException {
		try (RunningJunction junction = junction("junction.proxy-protocol=v1")) {
			assertThat(send(junction, null, v2Proxy("203.0.113.9", 51000), get("/v2"))).isEmpty();
			assertThat(this.app.pollRequest()).isNull();
		}
	}

	@Test
	void malformedHeaderIsRefused() throws IOException {
		try (RunningJunction junction = junction("junction.proxy-protocol=v1")) {
			byte[] bad = "PROXY TCP4 not-an-address 127.0.0.1 1 2\r\n".getBytes(StandardCharsets.US_ASCII);
			assertThat(send(junction, null, bad, get("/bad"))).isEmpty();
			assertThat(this.app.pollRequest()).isNull();
		}
	}

	@Test
	void headerFromAnUntrustedPeerIsRefused() throws IOException {
		try (RunningJunction junction = junction("junction.proxy-protocol=any")) {
			assertThat(send(junction, ELSEWHERE, v1("198.51.100.7", 40000), get("/forged"))).isEmpty();
			assertThat(this.app.pollRequest()).isNull();
		}
	}

	@Test
	void untrustedPeerWithoutHeaderIsServedAsItself() throws IOException {
		try (RunningJunction junction = junction("junction.proxy-protocol=any")) {
			assertThat(send(junction, ELSEWHERE, get("/direct"))).startsWith("HTTP/1.1 200 ");
			assertThat(this.app.takeRequest().headers().getFirst("X-Forwarded-For")).isEqualTo(ELSEWHERE);
		}
	}

	@Test
	void headerIsNotReadByDefault() throws IOException {
		try (RunningJunction junction = junction()) {
			assertThat(send(junction, null, v1("198.51.100.7", 40000), get("/off"))).startsWith("HTTP/1.1 400 ");
			assertThat(this.app.pollRequest()).isNull();
		}
	}

	@Test
	void managementPortNeedsNoHeader() {
		try (RunningJunction junction = junction("junction.proxy-protocol=any")) {
			junction.management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		}
	}

	@Test
	void badModeIsRefusedNamingTheKey() {
		assertThat(Startup.refusal("junction.proxy-protocol=v3").getKey()).isEqualTo("junction.proxy-protocol");
		assertThat(Startup.refusal("junction.proxy-protocl=v1"))
			.hasMessageContaining("did you mean junction.proxy-protocol?");
	}

	@Test
	void haproxySendProxyNamesTheClientBehindIt() throws Exception {
		assertClientSeenThroughHaproxy("send-proxy");
	}

	@Test
	void haproxySendProxyV2NamesTheClientBehindIt() throws Exception {
		assertClientSeenThroughHaproxy("send-proxy-v2");
	}

	private void assertClientSeenThroughHaproxy(String sendProxy) throws Exception {
		Assumptions.assumeTrue(Haproxy.isInstalled(), "HAProxy is not installed (apt-get install haproxy)");
		try (RunningJunction junction = junction("junction.proxy-protocol=any");
				Haproxy haproxy = Haproxy.sendingProxyProtocolTo(junction.port(), sendProxy)) {
			String answer = send(haproxy.port(), ELSEWHERE, get("/through-haproxy"));
			assertThat(answer).startsWith("HTTP/1.1 200 ");
			assertThat(this.app.takeRequest().headers().getFirst("X-Forwarded-For")).isEqualTo(ELSEWHERE);
		}
	}

	private RunningJunction junction(String... settings) {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.add("junction.backends.app.health-check.enabled=false");
		properties.add(TRUSTED);
		properties.addAll(List.of(settings));
		return Startup.junction(Map.of("app", List.of(this.app)), properties.toArray(String[]::new));
	}

	private static String send(RunningJunction junction, String from, byte[]... parts) throws IOException {
		return send(junction.port(), from, parts);
	}

	/**
	 * Sends {@code parts} from address {@code from} (127.0.0.1 when null) and returns
	 * everything that came back before the connection closed.
	 */
	private static String send(int port, String from, byte[]... parts) throws IOException {
		try (Socket socket = new Socket()) {
			if (from != null) {
				socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
			}
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			for (byte[] part : parts) {
				all.write(part);
			}
			try {
				out.write(all.toByteArray());
				out.flush();
				return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			}
			catch (java.net.SocketException ex) {
				// Closed by Junction while the request was still going out.
				return "";
			}
		}
	}

	private static byte[] get(String path) {
		return ("GET " + path + " HTTP/1.1\r\nHost: junction.test\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] v1(String client, int clientPort) {
		return ("PROXY TCP4 " + client + " 127.0.0.1 " + clientPort + " 443\r\n").getBytes(StandardCharsets.US_ASCII);
	}

	// The v2 header: its signature, version 2 with a command, then the family and
	// addresses.
	private static final byte[] SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

	private static byte[] v2Proxy(String client, int clientPort) throws IOException {
		ByteBuffer header = ByteBuffer.allocate(SIGNATURE.length + 4 + 12);
		header.put(SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
		header.put(InetAddress.getByName(client).getAddress()).put(InetAddress.getByName("127.0.0.1").getAddress());
		header.putShort((short) clientPort).putShort((short) 443);
		return header.array();
	}

	private static byte[] v2Local() {
		ByteBuffer header = ByteBuffer.allocate(SIGNATURE.length + 4);
		header.put(SIGNATURE).put((byte) 0x20).put((byte) 0x00).putShort((short) 0);
		return header.array();
	}

}

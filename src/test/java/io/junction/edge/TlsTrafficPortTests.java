package io.junction.edge;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS on the traffic port from PEM files, as a Kubernetes TLS Secret mounts them: served
 * with the chain and key, rotated without a restart, TLS 1.2 and 1.3 only; the management
 * port stays plain HTTP.
 */
class TlsTrafficPortTests {

	private final TestAppServer app01 = TestAppServer.start("app01");

	private final TestCertificates.Authority authority = TestCertificates.authority("Junction test CA");

	@TempDir
	Path directory;

	@AfterEach
	void stopServer() {
		this.app01.close();
	}

	@Test
	void servesTheMountedCertificateAndTheRotatedOneOnTheNextConnectionWithoutARestart() throws Exception {
		TestCertificates.Issued first = this.authority.issue("127.0.0.1", "localhost");
		Path chain = this.directory.resolve("tls.crt");
		Path key = this.directory.resolve("tls.key");
		first.write(chain, key);
		try (RunningJunction junction = Startup.junction(Map.of("app", List.of(this.app01)), tls(chain, key))) {
			HttpResponse<String> response = client().send(
					HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + junction.port() + "/hello")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("app01");
			assertThat(this.app01.takeRequest().headers().getFirst("X-Forwarded-Proto")).isEqualTo("https");
			assertThat(servedSerial(junction.port())).isEqualTo(first.certificate().getSerialNumber());

			TestCertificates.Issued second = this.authority.issue("127.0.0.1", "localhost");
			second.write(chain, key);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> servedSerial(junction.port()).equals(second.certificate().getSerialNumber()));

			// The management port stays plain HTTP.
			junction.management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		}
	}

	@Test
	void tls11ClientHelloIsRefusedWithAProtocolVersionAlert() throws Exception {
		Path chain = this.directory.resolve("tls.crt");
		Path key = this.directory.resolve("tls.key");
		this.authority.issue("127.0.0.1").write(chain, key);
		try (RunningJunction junction = Startup.junction(Map.of("app", List.of(this.app01)), tls(chain, key));
				Socket socket = new Socket("127.0.0.1", junction.port())) {
			socket.setSoTimeout(5_000);
			OutputStream out = socket.getOutputStream();
			out.write(clientHello(0x0302));
			out.flush();
			DataInputStream in = new DataInputStream(socket.getInputStream());
			int contentType = in.readUnsignedByte();
			in.readUnsignedShort();
			int length = in.readUnsignedShort();
			byte[] alert = new byte[length];
			in.readFully(alert);
			assertThat(contentType).as("an alert record").isEqualTo(21);
			assertThat(alert[0]).as("fatal").isEqualTo((byte) 2);
			assertThat(alert[1]).as("protocol_version").isEqualTo((byte) 70);
		}
	}

	private String[] tls(Path chain, Path key) {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.add("server.ssl.bundle=edge");
		properties.add("spring.ssl.bundle.pem.edge.keystore.certificate=file:" + chain);
		properties.add("spring.ssl.bundle.pem.edge.keystore.private-key=file:" + key);
		properties.add("spring.ssl.bundle.pem.edge.reload-on-update=true");
		return properties.toArray(String[]::new);
	}

	private HttpClient client() throws Exception {
		return HttpClient.newBuilder().sslContext(trusting()).version(HttpClient.Version.HTTP_1_1).build();
	}

	private SSLContext trusting() throws Exception {
		KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
		trust.load(null, null);
		trust.setCertificateEntry("ca", this.authority.certificate());
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, factory.getTrustManagers(), null);
		return context;
	}

	// A new connection each time: the certificate a new client is given now.
	private BigInteger servedSerial(int port) throws Exception {
		try (SSLSocket socket = (SSLSocket) trusting().getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.setSoTimeout(5_000);
			socket.startHandshake();
			return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
		}
	}

	/**
	 * A minimal TLS ClientHello record offering only {@code version} (0x0302 is TLS 1.1),
	 * with the two cipher suites every TLS 1.1 server has and no extensions.
	 */
	private static byte[] clientHello(int version) throws IOException {
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		body.write(version >> 8);
		body.write(version);
		body.write(new byte[32]);
		body.write(0);
		body.write(new byte[] { 0, 4, 0x00, 0x2f, (byte) 0xc0, 0x13 });
		body.write(new byte[] { 1, 0 });
		byte[] hello = body.toByteArray();
		java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
		record.write(new byte[] { 22, 3, 1 });
		int handshakeLength = hello.length + 4;
		record.write(handshakeLength >> 8);
		record.write(handshakeLength);
		record.write(1);
		record.write(0);
		record.write(hello.length >> 8);
		record.write(hello.length);
		record.write(hello);
		return record.toByteArray();
	}

}

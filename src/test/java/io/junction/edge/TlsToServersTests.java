package io.junction.edge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestCertificates;
import io.junction.pools.PoolServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.TcpServer;
import reactor.netty.tcp.TcpSslContextSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS to a pool's https servers: verified against the JVM's trust store unless the pool
 * names its own CA bundle, the name checked against the certificate (the URL's host, or
 * {@code tls.server-name}), and health checks under the same rule.
 */
class TlsToServersTests {

	private final TestCertificates.Authority authority = TestCertificates.authority("App servers' CA");

	@TempDir
	Path directory;

	private DisposableServer server;

	private Path caBundle;

	@BeforeEach
	void startTlsServer() {
		this.caBundle = this.authority.write(this.directory.resolve("ca.pem"));
	}

	@AfterEach
	void stopTlsServer() {
		if (this.server != null) {
			this.server.disposeNow();
		}
	}

	@Test
	void serverWhoseCaIsNotTrustedFailsTheHandshakeWithAClearBadGatewayAndCheckFailure() {
		serve("127.0.0.1");
		try (RunningJunction junction = Startup.junction(Map.of(), pool())) {
			junction.traffic()
				.get()
				.uri("/hello")
				.exchange()
				.expectStatus()
				.isEqualTo(502)
				.expectBody(String.class)
				.isEqualTo("502 Bad Gateway: route 'secure': the TLS handshake with the server failed\n");
			PoolServer secure = junction.pool("secure").server("secure01");
			await().atMost(Duration.ofSeconds(10)).until(() -> secure.state().lastFailure() != null);
			assertThat(secure.state().lastFailure()).startsWith("TLS handshake failed: ")
				.contains("certification path");
		}
	}

	@Test
	void serverSignedByThePoolsCaBundleServesAndPassesItsChecks() {
		serve("127.0.0.1");
		try (RunningJunction junction = Startup.junction(Map.of(), pool("tls.ca-bundle=" + this.caBundle))) {
			junction.traffic()
				.get()
				.uri("/hello")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.isEqualTo("secure01");
			PoolServer secure = junction.pool("secure").server("secure01");
			await().atMost(Duration.ofSeconds(10)).until(() -> secure.state().lastCheckNanos() > 0);
			assertThat(secure.state().checksFailed()).isZero();
			assertThat(secure.state().isUp()).isTrue();
		}
	}

	@Test
	void certificateForAnotherNameIsRefusedUnlessTheServerNameSaysSo() {
		serve("app.internal.example.com");
		try (RunningJunction junction = Startup.junction(Map.of(), pool("tls.ca-bundle=" + this.caBundle))) {
			junction.traffic().get().uri("/hello").exchange().expectStatus().isEqualTo(502);
		}
		try (RunningJunction junction = Startup.junction(Map.of(),
				pool("tls.ca-bundle=" + this.caBundle, "tls.server-name=app.internal.example.com"))) {
			junction.traffic().get().uri("/hello").exchange().expectStatus().isOk();
		}
	}

	@Test
	void insecureSkipVerifyAcceptsAnyCertificate() {
		serve("somewhere.else.example.com");
		try (RunningJunction junction = Startup.junction(Map.of(), pool("tls.insecure-skip-verify=true"))) {
			junction.traffic().get().uri("/hello").exchange().expectStatus().isOk();
		}
	}

	@Test
	void responseWithAmbiguousFramingOverTlsGets502() {
		// Raw bytes over TLS: an HTTP server would not send both framings.
		TestCertificates.Issued issued = this.authority.issue("127.0.0.1");
		byte[] smuggling = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
			.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		this.server = TcpServer.create()
			.host("127.0.0.1")
			.port(0)
			.secure((spec) -> spec.sslContext(TcpSslContextSpec.forServer(issued.keys().getPrivate(),
					issued.certificate(), this.authority.certificate())))
			.handle((in, out) -> in.receive()
				.next()
				.then(Mono.from(out.sendByteArray(Mono.just(smuggling))))
				.then(Mono.never()))
			.bindNow();
		try (RunningJunction junction = Startup.junction(Map.of(),
				pool("tls.ca-bundle=" + this.caBundle, "health-check.enabled=false"))) {
			junction.traffic()
				.get()
				.uri("/hello")
				.exchange()
				.expectStatus()
				.isEqualTo(502)
				.expectBody(String.class)
				.isEqualTo("502 Bad Gateway: route 'secure': the server sent an invalid response\n");
		}
	}

	@Test
	void caBundleThatIsNotPemIsRefusedAtStartUpNamingTheKey() throws Exception {
		Path notPem = this.directory.resolve("not.pem");
		java.nio.file.Files.writeString(notPem, "hello\n");
		assertThat(Startup.refusal(pool("tls.ca-bundle=" + notPem)).getKey())
			.isEqualTo("junction.backends.secure.tls.ca-bundle");
	}

	// A server with a certificate for name, signed by the test's CA.
	private void serve(String name) {
		TestCertificates.Issued issued = this.authority.issue(name);
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.secure((spec) -> spec.sslContext(Http11SslContextSpec.forServer(issued.keys().getPrivate(),
					issued.certificate(), this.authority.certificate())))
			.handle((request, response) -> response.sendString(Mono.just("secure01")))
			.bindNow();
	}

	private String[] pool(String... tls) {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("secure"));
		properties.add("junction.backends.secure.servers[0].name=secure01");
		properties.add("junction.backends.secure.servers[0].url=https://127.0.0.1:"
				+ ((this.server != null) ? this.server.port() : 1));
		properties.add("junction.backends.secure.health-check.path=/health");
		properties.add("junction.backends.secure.retries=0");
		for (String setting : tls) {
			properties.add("junction.backends.secure." + setting);
		}
		return properties.toArray(String[]::new);
	}

}

package io.junction.edge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code junction.backends.<name>.protocol}: a pool speaks HTTP/2 to servers that speak
 * only HTTP/2, in clear text (h2c, prior knowledge) or over TLS (h2 by ALPN), whatever
 * the client spoke to Junction.
 */
class Http2ToServersTests {

	@TempDir
	Path directory;

	private DisposableServer server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.disposeNow();
		}
	}

	@Test
	void h2cPoolReachesAServerThatSpeaksOnlyHttp2InClearText() {
		this.server = answeringWithItsProtocol(HttpServer.create().protocol(HttpProtocol.H2C));
		try (RunningJunction junction = Startup.junction(Map.of(), pool("http", "protocol=h2c"))) {
			assertServerAnswered(junction, "HTTP/2.0 /hello");
		}
	}

	@Test
	void h2PoolReachesAServerThatSpeaksOnlyHttp2OverTls() {
		TestCertificates.Authority authority = TestCertificates.authority("App servers' CA");
		Path caBundle = authority.write(this.directory.resolve("ca.pem"));
		TestCertificates.Issued issued = authority.issue("127.0.0.1");
		this.server = answeringWithItsProtocol(HttpServer.create()
			.protocol(HttpProtocol.H2)
			.secure((spec) -> spec.sslContext(Http2SslContextSpec.forServer(issued.keys().getPrivate(),
					issued.certificate(), authority.certificate()))));
		try (RunningJunction junction = Startup.junction(Map.of(),
				pool("https", "protocol=h2", "tls.ca-bundle=" + caBundle))) {
			assertServerAnswered(junction, "HTTP/2.0 /hello");
		}
	}

	@Test
	void defaultPoolSpeaksHttp11() {
		this.server = answeringWithItsProtocol(HttpServer.create());
		try (RunningJunction junction = Startup.junction(Map.of(), pool("http"))) {
			assertServerAnswered(junction, "HTTP/1.1 /hello");
		}
	}

	@Test
	void protocolThatDoesNotFitTheServersSchemeIsRefusedNamingTheKey() {
		this.server = answeringWithItsProtocol(HttpServer.create());
		assertThat(Startup.refusal(pool("http", "protocol=h2")))
			.hasMessageContaining("junction.backends.h2pool.protocol: h2 needs https server URLs");
		assertThat(Startup.refusal(pool("https", "protocol=h2c")).getKey())
			.isEqualTo("junction.backends.h2pool.protocol");
	}

	private static void assertServerAnswered(RunningJunction junction, String answer) {
		junction.traffic()
			.get()
			.uri("/hello")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo(answer);
	}

	private static DisposableServer answeringWithItsProtocol(HttpServer server) {
		return server.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> response
				.sendString(Mono.just(request.version().text() + " " + request.uri())))
			.bindNow();
	}

	private String[] pool(String scheme, String... settings) {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("h2pool"));
		properties.add("junction.backends.h2pool.servers[0].name=app01");
		properties.add("junction.backends.h2pool.servers[0].url=" + scheme + "://127.0.0.1:" + this.server.port());
		properties.add("junction.backends.h2pool.health-check.enabled=false");
		for (String setting : settings) {
			properties.add("junction.backends.h2pool." + setting);
		}
		return properties.toArray(String[]::new);
	}

}

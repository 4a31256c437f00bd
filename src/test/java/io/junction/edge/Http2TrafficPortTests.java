package io.junction.edge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.junction.RunningJunction;
import io.junction.Startup;
import io.junction.TestAppServer;
import io.junction.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.HttpProtocol;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 on the traffic port with {@code server.http2.enabled}: h2 over TLS (ALPN), h2c
 * by upgrade and with prior knowledge, each routed, rewritten and balanced as HTTP/1.1
 * is.
 */
class Http2TrafficPortTests {

	private final List<TestAppServer> servers = TestAppServer.startAll("app01", "app02");

	@TempDir
	Path directory;

	@AfterEach
	void stopServers() {
		this.servers.forEach(TestAppServer::close);
	}

	@Test
	void h2OverTlsIsRoutedRewrittenAndBalanced() throws Exception {
		TestCertificates.Authority authority = TestCertificates.authority("Junction test CA");
		Path chain = this.directory.resolve("tls.crt");
		Path key = this.directory.resolve("tls.key");
		authority.issue("127.0.0.1").write(chain, key);
		List<String> properties = properties();
		properties.add("server.ssl.bundle=edge");
		properties.add("spring.ssl.bundle.pem.edge.keystore.certificate=file:" + chain);
		properties.add("spring.ssl.bundle.pem.edge.keystore.private-key=file:" + key);
		try (RunningJunction junction = Startup.junction(Map.of("app", this.servers),
				properties.toArray(String[]::new))) {
			HttpClient client = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_2)
				.sslContext(trusting(authority))
				.build();
			List<String> answers = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				HttpResponse<String> response = client.send(HttpRequest
					.newBuilder(URI.create("https://127.0.0.1:" + junction.port() + "/services/foo/v1/hello"))
					.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
				assertThat(response.statusCode()).isEqualTo(200);
				answers.add(response.body());
			}
			assertThat(answers).containsExactlyInAnyOrder("app01", "app02");
			for (TestAppServer server : this.servers) {
				assertThat(server.takeRequest().uri()).isEqualTo("/hello");
			}
		}
	}

	@Test
	void h2cByUpgradeIsRouted() throws Exception {
		try (RunningJunction junction = Startup.junction(Map.of("app", this.servers),
				properties().toArray(String[]::new))) {
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
			// Java's client asks for h2c by Upgrade on its first request, on a body-less
			// GET.
			HttpResponse<String> first = client
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + junction.port() + "/services/foo/v1/a"))
					.build(), HttpResponse.BodyHandlers.ofString());
			HttpResponse<String> second = client
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + junction.port() + "/services/foo/v1/b"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(first.statusCode()).isEqualTo(200);
			assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
			assertThat(second.statusCode()).isEqualTo(200);
		}
	}

	@Test
	void h2cWithPriorKnowledgeIsRouted() {
		try (RunningJunction junction = Startup.junction(Map.of("app", this.servers),
				properties().toArray(String[]::new))) {
			String body = reactor.netty.http.client.HttpClient.create()
				.protocol(HttpProtocol.H2C)
				.get()
				.uri("http://127.0.0.1:" + junction.port() + "/services/foo/v1/prior")
				.responseSingle((response, content) -> {
					assertThat(response.version().text()).isEqualTo("HTTP/2.0");
					assertThat(response.status().code()).isEqualTo(200);
					return content.asString();
				})
				.block(java.time.Duration.ofSeconds(10));
			assertThat(body).isIn("app01", "app02");
			assertThat(TestAppServer.takeFromOne(this.servers).uri()).isEqualTo("/prior");
		}
	}

	private static List<String> properties() {
		String route = "spring.cloud.gateway.server.webflux.routes[0]";
		return new ArrayList<>(List.of("server.http2.enabled=true", route + ".id=foo", route + ".uri=lb://app",
				route + ".predicates[0]=Path=/services/foo/v1/**",
				route + ".filters[0]=RewritePath=/services/foo/v1/(?<rest>.*), /${rest}"));
	}

	private static SSLContext trusting(TestCertificates.Authority authority) throws Exception {
		KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
		trust.load(null, null);
		trust.setCertificateEntry("ca", authority.certificate());
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, factory.getTrustManagers(), null);
		return context;
	}

}

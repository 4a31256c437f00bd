package io.junction.demo;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;

import io.junction.Clients;
import io.junction.Startup;
import org.junit.jupiter.api.Test;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The demo profile, as {@code ./mvnw spring-boot:run} starts it: the seed's routes over
 * in-process app servers on 127.0.0.1:19001-19080.
 */
class DemoIntegrationTests {

	@Test
	void demoAnswersTheSeedRequestsWithTheServerAndWhatItReceived() {
		try (ConfigurableApplicationContext context = Startup.run("spring.profiles.active=demo")) {
			WebTestClient client = Clients.client(((WebServerApplicationContext) context).getWebServer().getPort());
			assertThat(Clients.okBody(client, "/services/foo/v1/hello?x=1")).matches(
					"server: app0[123] \\(backend services-foo-v1\\)\nmethod: GET\npath: /hello\\?x=1\nhost: 127.0.0.1:\\d+\n");
			assertThat(Clients.okBody(client, "/services/bar/v1/a/b/c")).contains("(backend services-bar-v1)",
					"path: /a/b/c\n");
			assertThat(Clients.okBody(client, "/index.html")).contains("server: webserver (backend website)",
					"path: /index.html\n");
			assertThat(Clients.okBody(client, "/services/foo/v1/x"))
				.isNotEqualTo(Clients.okBody(client, "/services/foo/v1/x"));
		}
	}

	@Test
	void demoServersNeverStartWithoutTheDemoProfile() {
		try (ConfigurableApplicationContext context = Startup.run("junction.backends.website.servers[0].name=webserver",
				"junction.backends.website.servers[0].url=http://127.0.0.1:19080")) {
			assertThat(context.getBeansOfType(DemoAppServers.class)).isEmpty();
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> connect(19080));
		}
	}

	private static void connect(int port) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.getPort();
		}
	}

}

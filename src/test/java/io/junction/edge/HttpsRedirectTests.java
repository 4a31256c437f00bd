package io.junction.edge;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.Ports;
import io.junction.RunningJunction;
import io.junction.Startup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code junction.http-redirect.port}: a plain port that sends every request to the same
 * host and path on https with 308, which keeps the method.
 */
class HttpsRedirectTests {

	@Test
	void plainPortRedirectsToTheSameHostAndPathOnHttpsKeepingTheMethod() throws Exception {
		int port = Ports.free();
		try (RunningJunction junction = Startup.junction(Map.of(), "junction.http-redirect.port=" + port)) {
			List<String> response = exchange(port,
					"POST /services/foo/v1/x?y=1 HTTP/1.1\r\nHost: example.com:8080\r\nContent-Length: 0\r\n\r\n");
			assertThat(response.get(0)).isEqualTo("HTTP/1.1 308 Permanent Redirect");
			assertThat(response).contains("location: https://example.com/services/foo/v1/x?y=1");
		}
	}

	@Test
	void redirectNamesTheHttpsPortWhenItIsNot443() throws Exception {
		int port = Ports.free();
		try (RunningJunction junction = Startup.junction(Map.of(), "junction.http-redirect.port=" + port,
				"junction.http-redirect.https-port=8443")) {
			List<String> response = exchange(port, "GET / HTTP/1.1\r\nHost: [fd00::1]:80\r\n\r\n");
			assertThat(response).contains("location: https://[fd00::1]:8443/");
		}
	}

	@Test
	void requestWithoutAHostIsAnsweredBadRequest() throws Exception {
		int port = Ports.free();
		try (RunningJunction junction = Startup.junction(Map.of(), "junction.http-redirect.port=" + port)) {
			List<String> response = exchange(port, "GET / HTTP/1.0\r\n\r\n");
			assertThat(response.get(0)).startsWith("HTTP/1.0 400");
		}
	}

	// The status line and the headers, lower-cased names, as sent on the socket.
	private static List<String> exchange(int port, String request) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(5_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			List<String> head = new ArrayList<>();
			head.add(in.readLine());
			for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
				int colon = line.indexOf(':');
				head.add(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT) + line.substring(colon));
			}
			return head;
		}
	}

}

package io.junction;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * HAProxy from Debian's package standing in for the AWS ELB in front of Junction
 * instances: it health-checks each one's readiness on its management port, as the ELB
 * does, and balances over those that pass.
 */
public final class Haproxy implements AutoCloseable {

	private static final Path BINARY = Path.of("/usr/sbin/haproxy");

	private final Process process;

	private final Path config;

	private final int port;

	private final int statsPort;

	private Haproxy(Process process, Path config, int port, int statsPort) {
		this.process = process;
		this.config = config;
		this.port = port;
		this.statsPort = statsPort;
	}

	/** Whether HAProxy is installed here. */
	public static boolean isInstalled() {
		return Files.isExecutable(BINARY);
	}

	/**
	 * Starts HAProxy in front of {@code junctions} and waits until it sees them all UP.
	 */
	public static Haproxy inFrontOf(JunctionProcess... junctions) throws IOException {
		int port = Ports.free();
		int statsPort = Ports.free();
		StringBuilder servers = new StringBuilder();
		for (int i = 0; i < junctions.length; i++) {
			servers.append("  server j")
				.append(i + 1)
				.append(" 127.0.0.1:")
				.append(junctions[i].port())
				.append(" check port ")
				.append(junctions[i].managementPort())
				.append('\n');
		}
		String config = """
				global
				  maxconn 4096
				defaults
				  mode http
				  timeout connect 2s
				  timeout client 30s
				  timeout server 30s
				  # Generous, as an ELB's checks are: a saturated 2-core test machine can be
				  # slow to answer, and pulling both gateways at once is not what is tested.
				  timeout check 2s
				  retries 2
				  option redispatch
				frontend elb
				  bind 127.0.0.1:%d
				  default_backend junctions
				backend junctions
				  balance roundrobin
				  option httpchk GET /actuator/health/readiness
				  http-check expect status 200
				  default-server inter 500ms fall 3 rise 2
				%slisten stats
				  bind 127.0.0.1:%d
				  stats enable
				  stats uri /stats
				""".formatted(port, servers, statsPort);
		Haproxy haproxy = start(config, port, statsPort);
		try {
			for (int i = 0; i < junctions.length; i++) {
				haproxy.awaitStatus("j" + (i + 1), "UP");
			}
		}
		catch (RuntimeException ex) {
			// The caller never gets it to close: stop it here, or it outlives the test.
			haproxy.process.destroyForcibly();
			throw ex;
		}
		return haproxy;
	}

	/**
	 * Starts HAProxy as a load balancer in TCP mode in front of one Junction traffic
	 * port, telling it each client's address in the PROXY protocol.
	 * @param sendProxy the server option: {@code send-proxy} (v1) or
	 * {@code send-proxy-v2}
	 */
	public static Haproxy sendingProxyProtocolTo(int junctionPort, String sendProxy) throws IOException {
		int port = Ports.free();
		int statsPort = Ports.free();
		String config = """
				global
				  maxconn 256
				defaults
				  mode tcp
				  timeout connect 2s
				  timeout client 30s
				  timeout server 30s
				frontend nlb
				  bind 127.0.0.1:%d
				  default_backend junction
				backend junction
				  server j1 127.0.0.1:%d %s
				listen stats
				  mode http
				  bind 127.0.0.1:%d
				  stats enable
				  stats uri /stats
				""".formatted(port, junctionPort, sendProxy, statsPort);
		Haproxy haproxy = start(config, port, statsPort);
		try {
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.until(() -> !"absent".equals(haproxy.status("j1", "junction")));
		}
		catch (RuntimeException ex) {
			haproxy.process.destroyForcibly();
			throw ex;
		}
		return haproxy;
	}

	private static Haproxy start(String config, int port, int statsPort) throws IOException {
		Path file = Files.createTempFile("haproxy-", ".cfg");
		Files.writeString(file, config);
		Process process = new ProcessBuilder(BINARY.toString(), "-db", "-f", file.toString()).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		return new Haproxy(process, file, port, statsPort);
	}

	public int port() {
		return this.port;
	}

	/** Waits until HAProxy's health checks put server {@code name} in {@code status}. */
	public void awaitStatus(String name, String status) {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> status.equals(status(name)));
	}

	/** HAProxy's view of a server: UP, DOWN, or a transition such as "UP 1/2". */
	public String status(String name) throws IOException, InterruptedException {
		return status(name, "junctions");
	}

	private String status(String name, String backend) throws IOException, InterruptedException {
		HttpResponse<String> stats = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.statsPort + "/stats;csv")).build(),
					HttpResponse.BodyHandlers.ofString());
		for (String line : stats.body().split("\n")) {
			String[] fields = line.split(",");
			if (fields.length > 17 && fields[0].equals(backend) && fields[1].equals(name)) {
				return fields[17];
			}
		}
		return "absent";
	}

	@Override
	public void close() throws IOException, InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
		Files.deleteIfExists(this.config);
	}

}

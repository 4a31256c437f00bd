package io.junction.comparison;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.junction.routetest.EchoServers;
import io.junction.routetest.RouteTestRun;
import reactor.netty.http.client.HttpClient;

/**
 * The real HAProxy (the {@code haproxy} on the PATH) running a configuration rewritten
 * for a comparison: its first frontend listens on a loopback port, every backend's
 * servers are one echo server on loopback that names the backend, and nothing else of the
 * machine is touched (no {@code global} settings, no checks, no logs). What the rewriting
 * had to change besides addresses is kept in {@link #notes()}.
 */
final class HaproxyUnderTest implements AutoCloseable {

	private static final Set<String> SECTIONS = Set.of("global", "defaults", "frontend", "backend", "listen", "peers",
			"resolvers", "userlist", "mailers", "program", "http-errors", "ring", "cache");

	// reqrep's usual shape: the method kept, a path prefix replaced (the seed's):
	// reqrep ^([^\ :]*)\ /old/(.*) \1\ /new/\2, with or without the colon
	private static final Pattern PREFIX_REQREP = Pattern
		.compile("(reqi?rep)\\s+\\^\\(\\[\\^\\\\ :?\\]\\*\\)\\\\ (/\\S*?)\\(\\.\\*\\)\\s+\\\\1\\\\ (/\\S*?)\\\\2");

	private final Path directory;

	private final Process process;

	private final EchoServers echoServers = new EchoServers();

	private final List<String> notes = new ArrayList<>();

	private final HttpClient client;

	/**
	 * Rewrites {@code configuration} and starts {@code haproxy} on it.
	 * @throws IllegalStateException with HAProxy's own words when it refuses the
	 * rewritten configuration or does not start
	 */
	HaproxyUnderTest(Path configuration, String haproxy) throws IOException, InterruptedException {
		this.directory = Files.createTempDirectory("compare-haproxy");
		int port = freePort();
		Path rewritten = this.directory.resolve("haproxy.cfg");
		Process started = null;
		try {
			Files.writeString(rewritten, rewrite(Files.readAllLines(configuration, StandardCharsets.UTF_8), port));
			Path log = this.directory.resolve("haproxy.log");
			Process check = new ProcessBuilder(haproxy, "-c", "-q", "-f", rewritten.toString())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
				throw new IllegalStateException("HAProxy refused the configuration: " + Files.readString(log).strip());
			}
			started = new ProcessBuilder(haproxy, "-db", "-f", rewritten.toString()).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			awaitListening(started, port, log);
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			if (started != null) {
				started.destroyForcibly();
			}
			this.echoServers.close();
			throw ex;
		}
		this.process = started;
		this.client = HttpClient.create().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(10));
	}

	/**
	 * What the rewriting changed besides addresses, one line each with its line number.
	 */
	List<String> notes() {
		return this.notes;
	}

	/** Sends a request through HAProxy and tells what became of it. */
	RouteTestRun.Outcome send(ComparedRequest request) {
		return RouteTestRun.send(this.client, request.method(), request.target(), request.host(), request.headers());
	}

	// The configuration for loopback: the first frontend on port, the others on ports of
	// their own, each backend's servers on its echo server, and what only a production
	// HAProxy needs (global settings, logs, checks) left out.
	private String rewrite(List<String> lines, int port) throws IOException {
		StringBuilder out = new StringBuilder();
		String section = "";
		String name = "";
		boolean firstFrontend = true;
		Map<String, String> echoByBackend = new LinkedHashMap<>();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			String trimmed = stripComment(line).strip();
			String[] words = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
			String keyword = (words.length > 0) ? words[0].toLowerCase(Locale.ROOT) : "";
			if (SECTIONS.contains(keyword)) {
				section = keyword;
				name = (words.length > 1) ? words[1] : "";
				out.append(trimmed).append('\n');
				if (section.equals("global")) {
					// Nothing of the machine's: no daemon, user, chroot, log or socket.
					out.append("    maxconn 4096\n");
				}
				continue;
			}
			if (section.equals("global") || keyword.isEmpty() || keyword.equals("log")
					|| keyword.equals("default-server") || keyword.equals("http-check")
					|| (keyword.equals("option") && words.length > 1 && words[1].equals("httpchk"))) {
				continue;
			}
			if (keyword.equals("bind")) {
				int bound = (firstFrontend) ? port : freePort();
				firstFrontend = false;
				out.append("    bind 127.0.0.1:").append(bound).append('\n');
				continue;
			}
			if (keyword.equals("server") && words.length > 2) {
				String url = echoByBackend.computeIfAbsent(name, this.echoServers::start);
				boolean backup = List.of(words).contains("backup");
				out.append("    server ")
					.append(words[1])
					.append(' ')
					.append(url.substring("http://".length()))
					.append(backup ? " backup" : "")
					.append('\n');
				continue;
			}
			if (keyword.equals("reqrep") || keyword.equals("reqirep")) {
				out.append(replaceReqrep(i + 1, trimmed)).append('\n');
				continue;
			}
			out.append("    ").append(trimmed).append('\n');
		}
		return out.toString();
	}

	// HAProxy 2.1 dropped reqrep; its usual shape, which keeps the method and replaces a
	// path prefix, is http-request replace-uri on the URI alone.
	private String replaceReqrep(int lineNumber, String line) {
		Matcher prefix = PREFIX_REQREP.matcher(line);
		if (!prefix.matches()) {
			throw new IllegalStateException("line " + lineNumber + ": '" + line
					+ "' cannot run on HAProxy 2.1 or later, which has no reqrep; write it as http-request replace-uri");
		}
		String insensitive = prefix.group(1).equals("reqirep") ? "(?i)" : "";
		String replaced = "http-request replace-uri " + insensitive + "^" + prefix.group(2) + "(.*) " + prefix.group(3)
				+ "\\1";
		this.notes.add("line " + lineNumber + ": " + prefix.group(1) + " run as " + replaced
				+ " (HAProxy 2.1 and later have no " + prefix.group(1) + ")");
		return "    " + replaced;
	}

	private static String stripComment(String line) {
		int hash = line.indexOf('#');
		// A # inside a word (a regex, a URL fragment) is no comment.
		while (hash > 0 && !Character.isWhitespace(line.charAt(hash - 1))) {
			hash = line.indexOf('#', hash + 1);
		}
		return (hash >= 0) ? line.substring(0, hash) : line;
	}

	private static void awaitListening(Process process, int port, Path log) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("HAProxy stopped: " + Files.readString(log).strip());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException notYet) {
				Thread.sleep(20);
			}
		}
		throw new IllegalStateException("HAProxy did not listen on 127.0.0.1:" + port + " within 10s");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() throws IOException {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.echoServers.close();
		try (var files = Files.list(this.directory)) {
			for (Path file : files.toList()) {
				Files.deleteIfExists(file);
			}
		}
		Files.deleteIfExists(this.directory);
	}

}

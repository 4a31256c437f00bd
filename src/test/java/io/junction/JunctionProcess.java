package io.junction;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Junction in a JVM of its own, as in production: it can be sent SIGTERM or SIGKILL.
 * Started from the test classpath, so no packaged jar is needed.
 */
public final class JunctionProcess implements AutoCloseable {

	private final Process process;

	private final Path log;

	private final int port;

	private final int managementPort;

	private JunctionProcess(Process process, Path log, int port, int managementPort) {
		this.process = process;
		this.log = log;
		this.port = port;
		this.managementPort = managementPort;
	}

	/**
	 * Starts Junction on free ports with {@code properties} and waits until it is ready.
	 */
	public static JunctionProcess start(String name, List<String> properties) throws IOException {
		return start(name, Ports.free(), Ports.free(), properties);
	}

	/** Starts Junction on the given ports and waits until it is ready. */
	public static JunctionProcess start(String name, int port, int managementPort, List<String> properties)
			throws IOException {
		Path log = Files.createTempFile("junction-" + name + "-", ".log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(JunctionApplication.class.getName());
		command.add("--server.port=" + port);
		command.add("--management.server.port=" + managementPort);
		for (String property : properties) {
			command.add("--" + property);
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		JunctionProcess junction = new JunctionProcess(process, log, port, managementPort);
		try {
			awaitReady(name, junction);
		}
		catch (RuntimeException ex) {
			process.destroyForcibly();
			throw ex;
		}
		return junction;
	}

	private static void awaitReady(String name, JunctionProcess junction) {
		Process process = junction.process;
		int managementPort = junction.managementPort;
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			if (!process.isAlive()) {
				throw new IllegalStateException("Junction " + name + " exited at start:\n" + junction.output());
			}
			return Clients.isReady(managementPort);
		});
	}

	public int port() {
		return this.port;
	}

	public int managementPort() {
		return this.managementPort;
	}

	/** Asks Junction to stop, as {@code kill} or {@code docker stop} do. */
	public void terminate() {
		this.process.destroy();
	}

	/** Kills Junction at once, as {@code kill -9} does. */
	public void kill() {
		this.process.destroyForcibly();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Waits up to {@code timeout} for the process to end; its exit code, or -1 if
	 * running.
	 */
	public int awaitExit(Duration timeout) throws InterruptedException {
		return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? this.process.exitValue() : -1;
	}

	/** Everything Junction logged so far. */
	public String output() throws IOException {
		return Files.readString(this.log);
	}

	@Override
	public void close() throws IOException {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		File file = this.log.toFile();
		file.deleteOnExit();
	}

}

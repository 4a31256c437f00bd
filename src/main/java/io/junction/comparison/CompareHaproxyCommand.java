package io.junction.comparison;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.junction.RootCause;
import io.junction.routetest.RouteCase;
import io.junction.routetest.RouteTestRun;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar junction.jar compare-haproxy haproxy.cfg junction.yml [--requests FILE]
 * [--generate N] [--haproxy PATH] [--key=value...]}: starts the real HAProxy on the
 * haproxy.cfg and Junction on the Junction configuration, each in front of echo servers
 * on loopback in place of its servers, sends every request to both, and reports for each
 * where it went: the backend or pool, the path and query its server received, the status.
 * A difference that Junction's path policy makes on purpose (a refused or merged path) is
 * reported apart and does not fail the comparison; any other does.
 */
public final class CompareHaproxyCommand {

	/** The command's name, the first argument. */
	public static final String NAME = "compare-haproxy";

	/** Exit status when both decide alike on every request. */
	public static final int SAME = 0;

	/** Exit status when they differ on a request, or one of them cannot start. */
	public static final int DIFFERENT = 1;

	/** Exit status when the command is used wrongly or a file cannot be read. */
	public static final int USAGE = 2;

	private static final String USAGE_LINE = "usage: java -jar junction.jar compare-haproxy haproxy.cfg FILE... "
			+ "[--requests FILE] [--generate N] [--haproxy PATH] [--key=value...]";

	private CompareHaproxyCommand() {
	}

	/**
	 * Compares, printing the differences and a summary to {@code out} and problems to
	 * {@code err}.
	 * @return the exit status
	 */
	public static int run(List<String> args, PrintStream out, PrintStream err) {
		Path haproxyConfig = null;
		List<String> locations = new ArrayList<>();
		List<String> springArgs = new ArrayList<>(List.of("--spring.main.banner-mode=off", "--logging.level.root=off"));
		Path requestsFile = null;
		int generate = 0;
		String haproxy = "haproxy";
		try {
			for (int i = 0; i < args.size(); i++) {
				String arg = args.get(i);
				if (arg.equals("--requests") || arg.equals("--generate") || arg.equals("--haproxy")) {
					if (i + 1 == args.size()) {
						throw new IllegalArgumentException(arg + " needs a value");
					}
					String value = args.get(++i);
					switch (arg) {
						case "--requests" -> requestsFile = Path.of(value);
						case "--generate" -> generate = Integer.parseInt(value);
						default -> haproxy = value;
					}
				}
				else if (arg.startsWith("--")) {
					springArgs.add(arg);
				}
				else if (haproxyConfig == null) {
					haproxyConfig = readable(arg);
				}
				else {
					locations.add("file:" + readable(arg));
				}
			}
		}
		catch (IllegalArgumentException ex) {
			err.println(ex.getMessage());
			return USAGE;
		}
		if (haproxyConfig == null || locations.isEmpty() || (requestsFile == null && generate <= 0)) {
			err.println(USAGE_LINE);
			return USAGE;
		}
		List<ComparedRequest> requests = new ArrayList<>();
		try {
			if (requestsFile != null) {
				requests.addAll(ComparedRequest.read(requestsFile));
			}
			if (generate > 0) {
				requests.addAll(
						RequestGenerator.generate(Files.readAllLines(haproxyConfig, StandardCharsets.UTF_8), generate));
			}
		}
		catch (IOException | IllegalArgumentException ex) {
			err.println(ex.getMessage());
			return USAGE;
		}
		springArgs.add("--spring.config.additional-location=" + String.join(",", locations));
		try (HaproxyUnderTest haproxyRun = new HaproxyUnderTest(haproxyConfig, haproxy);
				RouteTestRun junctionRun = new RouteTestRun(springArgs.toArray(String[]::new))) {
			haproxyRun.notes().forEach((note) -> out.println("note: " + note));
			return compare(requests, haproxyRun, junctionRun, out);
		}
		catch (IOException | RuntimeException ex) {
			err.println(RootCause.message(ex));
			return DIFFERENT;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return DIFFERENT;
		}
	}

	private static int compare(List<ComparedRequest> requests, HaproxyUnderTest haproxy, RouteTestRun junction,
			PrintStream out) {
		int different = 0;
		int byPolicy = 0;
		for (ComparedRequest request : requests) {
			RouteTestRun.Outcome fromHaproxy = haproxy.send(request);
			RouteTestRun.Outcome fromJunction = junction.send(request.method(), request.target(), request.host(),
					request.headers());
			if (same(fromHaproxy, fromJunction)) {
				continue;
			}
			String policy = policy(request, fromJunction);
			if (policy != null) {
				byPolicy++;
				out.println("POLICY     " + request.describe() + "  (" + policy + ")");
			}
			else {
				different++;
				out.println("DIFFERENT  " + request.describe());
			}
			out.println("           haproxy:  " + describe(fromHaproxy));
			out.println("           junction: " + describe(fromJunction));
		}
		out.println(requests.size() + " requests: " + (requests.size() - different - byPolicy) + " same, " + different
				+ " different, " + byPolicy + " by Junction's path policy");
		return (different == 0) ? SAME : DIFFERENT;
	}

	/**
	 * Whether both took the request to the same place: the same backend and path, or
	 * neither to any (HAProxy's 503 without a backend is Junction's 404 without a route).
	 */
	static boolean same(RouteTestRun.Outcome haproxy, RouteTestRun.Outcome junction) {
		if (haproxy.pool() == null && junction.pool() == null) {
			return haproxy.status() == junction.status()
					|| (haproxy.status() == 503 && RouteCase.NO_ROUTE.equals(junction.route()));
		}
		return samePool(haproxy.pool(), junction.pool()) && Objects.equals(haproxy.path(), junction.path())
				&& haproxy.status() == junction.status();
	}

	// A pool's name is a host name: a backend named services_foo_v1 is pool
	// services-foo-v1.
	private static boolean samePool(@Nullable String backend, @Nullable String pool) {
		return backend != null && pool != null && backend.replace('_', '-').equalsIgnoreCase(pool);
	}

	// Junction refuses dot segments, control characters and bad encodings, and merges
	// "//", before any route: HAProxy passes them on.
	private static @Nullable String policy(ComparedRequest request, RouteTestRun.Outcome junction) {
		if (junction.status() == 400) {
			return "Junction refuses this path with 400";
		}
		String path = request.target();
		int query = path.indexOf('?');
		if ((query >= 0 ? path.substring(0, query) : path).contains("//")) {
			return "Junction merges // in paths";
		}
		return null;
	}

	private static String describe(RouteTestRun.Outcome outcome) {
		if (outcome.status() < 0) {
			return "no answer: " + outcome.path();
		}
		if (outcome.pool() == null) {
			return outcome.status() + ", no server";
		}
		return outcome.status() + " " + outcome.pool() + " " + outcome.path();
	}

	private static Path readable(String arg) {
		Path file = Path.of(arg).toAbsolutePath();
		if (!Files.isReadable(file) || Files.isDirectory(file)) {
			throw new IllegalArgumentException(arg + ": no such file, or not readable");
		}
		return file;
	}

}

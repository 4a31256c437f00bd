package io.junction.routetest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.junction.RootCause;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar junction.jar route-test FILE... --cases CASES [--key=value...]}: sends
 * each request of the cases file through Junction started on that configuration, every
 * server replaced by an echo server on loopback, and checks the route that took it, the
 * pool it reached and the path and query that pool's server received (Envoy's
 * {@code router_check_tool}, for Junction's own configuration, in a user's CI).
 */
public final class RouteTestCommand {

	/** The command's name, the first argument. */
	public static final String NAME = "route-test";

	/** Exit status when every case holds. */
	public static final int OK = 0;

	/** Exit status when a case does not hold, or the configuration cannot start. */
	public static final int FAILED = 1;

	/** Exit status when the command is used wrongly or a file cannot be read. */
	public static final int USAGE = 2;

	private static final String USAGE_LINE = "usage: java -jar junction.jar route-test FILE... --cases CASES [--key=value...]";

	private RouteTestCommand() {
	}

	/**
	 * Runs the cases of {@code args}, printing each outcome to {@code out} and problems
	 * to {@code err}.
	 * @return the exit status
	 */
	public static int run(List<String> args, PrintStream out, PrintStream err) {
		List<String> locations = new ArrayList<>();
		List<String> springArgs = new ArrayList<>(List.of("--spring.main.banner-mode=off", "--logging.level.root=off"));
		Path casesFile = null;
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (arg.equals("--cases") && i + 1 < args.size()) {
				casesFile = Path.of(args.get(++i));
			}
			else if (arg.startsWith("--cases=")) {
				casesFile = Path.of(arg.substring("--cases=".length()));
			}
			else if (arg.startsWith("--")) {
				springArgs.add(arg);
			}
			else {
				Path file = Path.of(arg).toAbsolutePath();
				if (!Files.isReadable(file) || Files.isDirectory(file)) {
					err.println(arg + ": no such file, or not readable");
					return USAGE;
				}
				locations.add("file:" + file);
			}
		}
		if (casesFile == null || locations.isEmpty()) {
			err.println(USAGE_LINE);
			return USAGE;
		}
		List<RouteCase> cases;
		try {
			cases = RouteCase.read(casesFile);
		}
		catch (IOException ex) {
			err.println(casesFile + ": cannot be read: " + ex.getMessage());
			return USAGE;
		}
		catch (IllegalArgumentException ex) {
			err.println(ex.getMessage());
			return USAGE;
		}
		springArgs.add("--spring.config.additional-location=" + String.join(",", locations));
		RouteTestRun run;
		try {
			run = new RouteTestRun(springArgs.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			err.println("Junction did not start on this configuration: " + RootCause.message(ex));
			err.println("(java -jar junction.jar check FILE... lists every problem)");
			return FAILED;
		}
		int failed = 0;
		String name = String.valueOf(casesFile.getFileName());
		int lastLine = cases.isEmpty() ? 0 : cases.get(cases.size() - 1).line();
		String column = "%-" + (name.length() + 1 + String.valueOf(lastLine).length()) + "s";
		try (run) {
			for (RouteCase routeCase : cases) {
				List<String> differences = differences(routeCase, run.send(routeCase));
				String where = String.format(column, name + ":" + routeCase.line());
				out.println((differences.isEmpty() ? "ok    " : "FAIL  ") + where + "  " + routeCase.describe());
				failed += differences.isEmpty() ? 0 : 1;
				differences.forEach((difference) -> out.println("        " + difference));
			}
		}
		out.println(cases.size() + ((cases.size() == 1) ? " case: " : " cases: ") + (cases.size() - failed)
				+ " passed, " + failed + " failed");
		return (failed == 0) ? OK : FAILED;
	}

	/** What the outcome shows that the case did not expect, one line each. */
	static List<String> differences(RouteCase expected, RouteTestRun.Outcome actual) {
		List<String> differences = new ArrayList<>();
		Integer status = expected.expectedStatus();
		if (status != null && status != actual.status()) {
			differences.add(line("status", String.valueOf(status),
					(actual.status() < 0) ? "no answer (" + actual.path() + ")" : String.valueOf(actual.status())));
		}
		compare(differences, "route", expected.route(), actual.route());
		compare(differences, "pool", expected.pool(), actual.pool());
		compare(differences, "path", expected.path(), actual.path());
		return differences;
	}

	private static void compare(List<String> differences, String what, @Nullable String expected,
			@Nullable String actual) {
		if (expected != null && !Objects.equals(expected, actual)) {
			differences.add(line(what, expected, (actual != null) ? actual : "-"));
		}
	}

	private static String line(String what, String expected, String actual) {
		return String.format("%-7s expected %s%n        %-7s but got  %s", what + ":", expected, "", actual);
	}

}

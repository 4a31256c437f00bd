package io.junction.config;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.junction.RootCause;
import io.junction.ConfigurationProblem;
import io.junction.JunctionApplication;
import io.junction.routing.RouteVocabulary;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * {@code java -jar junction.jar check FILE... [--key=value...]}: checks the configuration
 * that Junction would start with from those files (HAProxy {@code haproxy -c -f}), with
 * the start-up check, and prints every problem. Nothing is started and nothing is
 * connected to: the check runs once every bean is defined, before any is created.
 */
public final class CheckCommand {

	/** The command's name, the first argument. */
	public static final String NAME = "check";

	/** Exit status when the configuration holds. */
	public static final int OK = 0;

	/** Exit status when it has problems, or a file cannot be read. */
	public static final int PROBLEMS = 1;

	/** Exit status when the command is used wrongly. */
	public static final int USAGE = 2;

	private CheckCommand() {
	}

	/**
	 * Runs the check on {@code args} (files, then Spring arguments such as
	 * {@code --spring.profiles.active=demo}), printing to {@code out} and {@code err}.
	 * @return the exit status
	 */
	public static int run(List<String> args, PrintStream out, PrintStream err) {
		List<String> locations = new ArrayList<>();
		List<String> springArgs = new ArrayList<>(List.of("--spring.main.banner-mode=off",
				"--spring.main.log-startup-info=false", "--logging.level.root=off"));
		for (String arg : args) {
			if (arg.startsWith("--")) {
				springArgs.add(arg);
				continue;
			}
			Path file = Path.of(arg).toAbsolutePath();
			if (!Files.isReadable(file) || Files.isDirectory(file)) {
				err.println(arg + ": no such file, or not readable");
				return PROBLEMS;
			}
			locations.add("file:" + file);
		}
		if (locations.isEmpty() && springArgs.stream().noneMatch((arg) -> arg.startsWith("--spring.profiles"))) {
			err.println("usage: java -jar junction.jar check FILE... [--key=value...]");
			return USAGE;
		}
		if (!locations.isEmpty()) {
			springArgs.add("--spring.config.additional-location=" + String.join(",", locations));
		}
		CheckedConfiguration checked;
		try {
			checked = check(springArgs.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			err.println("cannot read the configuration: " + RootCause.message(ex));
			return PROBLEMS;
		}
		if (!checked.isValid()) {
			for (ConfigurationProblem problem : checked.problems()) {
				out.println(problem);
			}
			int count = checked.problems().size();
			out.println(count + ((count == 1) ? " problem" : " problems") + " found");
			return PROBLEMS;
		}
		out.println("OK: " + checked.routes().size() + " routes, " + checked.pools().getBackends().size() + " pools, "
				+ checked.serverCount() + " servers");
		return OK;
	}

	// Prepares Junction as start-up would, then leaves once the beans are defined,
	// carrying the result out in an exception: there is no other way out of refresh().
	private static CheckedConfiguration check(String[] args) {
		SpringApplication application = new SpringApplication(JunctionApplication.class);
		application.setBannerMode(Banner.Mode.OFF);
		application.setRegisterShutdownHook(false);
		application.addInitializers((ConfigurableApplicationContext context) -> context
			.addBeanFactoryPostProcessor(checkThenLeave((ConfigurableEnvironment) context.getEnvironment())));
		try {
			application.run(args).close();
		}
		catch (RuntimeException ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof Checked checked) {
					return checked.result;
				}
			}
			throw ex;
		}
		throw new IllegalStateException("the check did not run");
	}

	// Programmatic post-processors run before those defined as beans, among them the
	// start-up check, which would stop at the first refusal with a stack trace.
	private static BeanFactoryPostProcessor checkThenLeave(ConfigurableEnvironment environment) {
		return (beans) -> {
			throw new Checked(new ConfigurationCheck(RouteVocabulary.of(beans)).check(environment));
		};
	}

	/** The way out of the application's refresh, with the result. */
	private static final class Checked extends RuntimeException {

		private final transient CheckedConfiguration result;

		Checked(CheckedConfiguration result) {
			super("checked", null, false, false);
			this.result = result;
		}

	}

}

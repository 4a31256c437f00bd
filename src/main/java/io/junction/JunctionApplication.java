package io.junction;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import io.junction.comparison.CompareHaproxyCommand;
import io.junction.config.CheckCommand;
import io.junction.haproxy.ImportHaproxyCommand;
import io.junction.routetest.RouteTestCommand;
import io.junction.training.TrainCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * Junction: an L7 HTTP gateway that routes by path to pools of app servers, in place of
 * an HAProxy pair behind an AWS load balancer.
 * <p>
 * Every part comes from an auto-configuration listed in {@code META-INF/spring}. There is
 * no component scan: it would also pick up the management server's configuration (the
 * stats page) and serve it on the traffic port.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class JunctionApplication {

	// java -jar junction.jar <command> ...: a tool run instead of the gateway.
	private static final Map<String, Command> COMMANDS = Map.of(CheckCommand.NAME, CheckCommand::run,
			RouteTestCommand.NAME, RouteTestCommand::run, ImportHaproxyCommand.NAME, ImportHaproxyCommand::run,
			CompareHaproxyCommand.NAME, CompareHaproxyCommand::run, TrainCommand.NAME, TrainCommand::run);

	public static void main(String[] args) {
		Command command = (args.length > 0) ? COMMANDS.get(args[0]) : null;
		if (command != null) {
			System.exit(command.run(List.of(args).subList(1, args.length), System.out, System.err));
		}
		SpringApplication.run(JunctionApplication.class, args);
	}

	/**
	 * A command of the jar: its arguments after its name, its output, its exit status.
	 */
	private interface Command {

		int run(List<String> args, PrintStream out, PrintStream err);

	}

}

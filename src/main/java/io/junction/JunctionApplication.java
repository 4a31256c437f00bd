package io.junction;

import java.util.List;

import io.junction.comparison.CompareHaproxyCommand;
import io.junction.config.CheckCommand;
import io.junction.haproxy.ImportHaproxyCommand;
import io.junction.routetest.RouteTestCommand;

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

	public static void main(String[] args) {
		if (args.length > 0 && CheckCommand.NAME.equals(args[0])) {
			System.exit(CheckCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
		}
		if (args.length > 0 && CompareHaproxyCommand.NAME.equals(args[0])) {
			System.exit(CompareHaproxyCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
		}
		if (args.length > 0 && RouteTestCommand.NAME.equals(args[0])) {
			System.exit(RouteTestCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
		}
		if (args.length > 0 && ImportHaproxyCommand.NAME.equals(args[0])) {
			System.exit(ImportHaproxyCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
		}
		SpringApplication.run(JunctionApplication.class, args);
	}

}

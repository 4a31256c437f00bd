package io.junction.training;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.junction.routetest.RouteTestRun;
import reactor.core.publisher.Flux;

/**
 * {@code java -jar junction.jar train [--requests=N]}: a training run for the JVM's AOT
 * cache that serves traffic (the image does not use it yet: docs/image-startup.md).
 * Starts Junction on the demo's routes (the seed's) with an echo server in place of each
 * pool, as {@code route-test} does, sends it {@code N} requests from 16 concurrent
 * clients (default 20000: GET, POST and PUT, on each route), and exits. Run with
 * {@code -XX:AOTCacheOutput}, the JVM then keeps the classes and method profiles of the
 * request path, not only those of start-up, so that the first requests after a start run
 * near full speed.
 */
public final class TrainCommand {

	/** The command's name, the first argument. */
	public static final String NAME = "train";

	private static final int CLIENTS = 16;

	// The seed's routes, each way a request may take through them.
	private static final String[][] REQUESTS = { { "GET", "/services/foo/v1/hello?x=1" },
			{ "POST", "/services/bar/v1/orders" }, { "GET", "/services/bar/v1/items/7" }, { "GET", "/" },
			{ "GET", "/index.html" }, { "PUT", "/services/foo/v1/a/b" } };

	private TrainCommand() {
	}

	/**
	 * Runs the training, printing a summary to {@code out} and problems to {@code err}.
	 * @return the exit status: 0, or 1 when Junction did not start or more than 1% of the
	 * requests failed
	 */
	public static int run(List<String> args, PrintStream out, PrintStream err) {
		int count = 20_000;
		for (String arg : args) {
			if (arg.startsWith("--requests=")) {
				count = Integer.parseInt(arg.substring("--requests=".length()));
			}
		}
		long started = System.nanoTime();
		AtomicInteger failed = new AtomicInteger();
		try (RouteTestRun run = new RouteTestRun("--spring.config.additional-location=classpath:application-demo.yml",
				"--spring.main.banner-mode=off", "--logging.level.root=warn")) {
			Flux.range(0, count).flatMap((i) -> {
				String[] request = REQUESTS[i % REQUESTS.length];
				Map<String, String> headers = request[0].equals("GET") ? Map.of()
						: Map.of("Content-Type", "application/json", "Content-Length", "0");
				return run.exchange(request[0], request[1], headers);
			}, CLIENTS).doOnNext((outcome) -> {
				if (outcome.status() < 0) {
					failed.incrementAndGet();
				}
			}).blockLast();
		}
		catch (RuntimeException ex) {
			err.println("training failed: " + ex);
			return 1;
		}
		long millis = (System.nanoTime() - started) / 1_000_000;
		out.println("trained: " + count + " requests in " + millis + " ms, " + failed.get() + " failed");
		// A few failures (a connection closed under a request) leave the training as
		// good;
		// many mean that the run did not train the request path.
		return (failed.get() * 100 <= count) ? 0 : 1;
	}

}

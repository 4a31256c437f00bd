package io.junction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.catchThrowable;

/** Starts Junction as {@code java -jar} would, on random ports, with extra properties. */
public final class Startup {

	private Startup() {
	}

	/** Starts Junction; the caller closes it. */
	public static ConfigurableApplicationContext run(String... properties) {
		return start(properties);
	}

	/** Starts Junction with a pool per entry of {@code pools}; the caller closes it. */
	public static RunningJunction junction(Map<String, List<TestAppServer>> pools, String... properties) {
		List<String> all = new ArrayList<>();
		pools.forEach((pool, servers) -> {
			for (int i = 0; i < servers.size(); i++) {
				String server = "junction.backends." + pool + ".servers[" + i + "]";
				all.add(server + ".name=" + servers.get(i).name());
				all.add(server + ".url=" + servers.get(i).url());
			}
		});
		all.addAll(List.of(properties));
		return new RunningJunction(run(all.toArray(String[]::new)));
	}

	/**
	 * Starts Junction expecting start-up to be refused, and returns the refusal.
	 * @throws AssertionError if Junction started, or failed for another reason
	 */
	public static InvalidConfigurationException refusal(String... properties) {
		Throwable failure = catchThrowable(() -> start(properties).close());
		if (failure == null) {
			throw new AssertionError("Junction started with " + String.join(", ", properties));
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidConfigurationException refusal) {
				return refusal;
			}
		}
		throw new AssertionError("start-up failed for another reason", failure);
	}

	/** Properties of one route that sends every request to {@code pool}. */
	public static List<String> routeEverythingTo(String pool) {
		String route = "spring.cloud.gateway.server.webflux.routes[0]";
		return List.of(route + ".id=" + pool, route + ".uri=lb://" + pool, route + ".predicates[0]=Path=/**");
	}

	// By default a Junction uses Reactor Netty's global event loops and disposes of them
	// when
	// it stops, which would kill every other server of the test JVM with it: the Junction
	// that Spring's test context cache keeps for the seed tests, and the app servers. One
	// started here has event loops of its own.
	private static void ownEventLoops(ConfigurableApplicationContext context) {
		((GenericApplicationContext) context).registerBean(ReactorResourceFactory.class, () -> {
			ReactorResourceFactory resources = new ReactorResourceFactory();
			resources.setUseGlobalResources(false);
			return resources;
		});
	}

	// Command-line arguments, as with java -jar: they win over application.yml.
	private static ConfigurableApplicationContext start(String... properties) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0"));
		for (String property : properties) {
			args.add("--" + property);
		}
		return new SpringApplicationBuilder(JunctionApplication.class).initializers(Startup::ownEventLoops)
			.run(args.toArray(String[]::new));
	}

}

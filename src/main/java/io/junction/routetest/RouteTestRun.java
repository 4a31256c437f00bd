package io.junction.routetest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.junction.JunctionApplication;
import io.junction.pools.PoolsProperties;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.aot.AotDetector;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Junction started on a configuration with every server replaced by an echo server on
 * loopback, one per pool, that answers with the path it received: real routing, real
 * rewriting, nothing sent anywhere else. Each request then shows the route that took it
 * (a request header each route adds last), the pool, and the path its server received.
 */
public final class RouteTestRun implements AutoCloseable {

	private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";

	private final EchoServers echoServers = new EchoServers();

	private final ConfigurableApplicationContext junction;

	private final HttpClient client;

	/**
	 * Starts Junction with {@code args} (the configuration files and Spring arguments, as
	 * on its command line) and the echo servers.
	 */
	public RouteTestRun(String... args) {
		SpringApplication application = new SpringApplication(JunctionApplication.class);
		application.setBannerMode(Banner.Mode.OFF);
		application.setRegisterShutdownHook(false);
		application.addInitializers((ConfigurableApplicationContext context) -> {
			replaceServers(context.getEnvironment());
			// Event loops of its own: closing it leaves Reactor's global ones, which
			// the echo servers and the caller may use, running. Under Spring AOT the
			// auto-configured factory is there whatever is defined, so there the run
			// shares the global loops, and the command's JVM ends with it.
			if (!AotDetector.useGeneratedArtifacts()) {
				((GenericApplicationContext) context).registerBean(ReactorResourceFactory.class, () -> {
					ReactorResourceFactory resources = new ReactorResourceFactory();
					resources.setUseGlobalResources(false);
					return resources;
				});
			}
		});
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(List.of("--server.port=0", "--management.server.port=0", "--server.ssl.enabled=false",
				"--junction.proxy-protocol=off", "--junction.reload.enabled=false",
				"--junction.access-log.enabled=false", "--spring.main.log-startup-info=false"));
		try {
			this.junction = application.run(all.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			this.echoServers.close();
			throw ex;
		}
		int port = ((WebServerApplicationContext) this.junction).getWebServer().getPort();
		this.client = HttpClient.create().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(10));
	}

	/** Sends the case's request through Junction and tells what became of it. */
	public Outcome send(RouteCase routeCase) {
		return send(routeCase.method(), routeCase.target(), routeCase.host(), routeCase.headers());
	}

	/**
	 * Sends a request through Junction and tells what became of it.
	 * @param host the Host header, or null for Junction's address
	 */
	public Outcome send(String method, String target, @Nullable String host, Map<String, String> headers) {
		return send(this.client, method, target, host, headers);
	}

	/**
	 * Sends a request with {@code client} (whose base URL is the proxy's) and tells what
	 * became of it, from the echo server's answer.
	 * @param host the Host header, or null for the proxy's address
	 */
	public static Outcome send(HttpClient client, String method, String target, @Nullable String host,
			Map<String, String> headers) {
		return exchange(client, method, target, host, headers).block();
	}

	/** Sends a request through Junction, without waiting: what became of it. */
	public Mono<Outcome> exchange(String method, String target, Map<String, String> headers) {
		return exchange(this.client, method, target, null, headers);
	}

	private static Mono<Outcome> exchange(HttpClient client, String method, String target, @Nullable String host,
			Map<String, String> headers) {
		return client.headers((sent) -> {
			headers.forEach(sent::add);
			if (host != null) {
				sent.set("Host", host);
			}
		})
			.request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
			.uri(target)
			.responseSingle((response, body) -> body.asString().defaultIfEmpty("").map((text) -> {
				String pool = response.responseHeaders().get(EchoServers.POOL_HEADER);
				String route = response.responseHeaders().get(EchoServers.ROUTE_HEADER);
				int status = response.status().code();
				if (pool == null) {
					// No server answered: Junction did, and 404 is its "no route".
					return new Outcome(status, (status == 404) ? RouteCase.NO_ROUTE : null, null, null);
				}
				return new Outcome(status, route, pool, text);
			}))
			.onErrorResume((error) -> Mono.just(new Outcome(-1, null, null, String.valueOf(error.getMessage()))));
	}

	// Every pool's servers point at the pool's echo server, checked by nothing; every
	// route names itself to it; routes to a plain URL get an echo server each.
	private void replaceServers(ConfigurableEnvironment environment) {
		Binder binder = Binder.get(environment);
		PoolsProperties pools = binder.bind(PoolsProperties.PREFIX, PoolsProperties.class)
			.orElseGet(PoolsProperties::new);
		List<RouteDefinition> routes = binder.bind(ROUTES, Bindable.listOf(RouteDefinition.class)).orElse(List.of());
		Map<String, Object> overrides = new LinkedHashMap<>();
		pools.getBackends().forEach((name, pool) -> {
			String key = PoolsProperties.PREFIX + ".backends." + name;
			String url = this.echoServers.start(name);
			List<PoolsProperties.Server> servers = pool.getServers();
			for (int i = 0; i < Math.max(1, servers.size()); i++) {
				PoolsProperties.Server server = (i < servers.size()) ? servers.get(i) : null;
				String serverKey = key + ".servers[" + i + "]";
				overrides.put(serverKey + ".name", (server != null) ? server.getName() : "route-test");
				overrides.put(serverKey + ".url", url);
				if (server != null) {
					overrides.put(serverKey + ".weight", server.getWeight());
					overrides.put(serverKey + ".backup", server.isBackup());
				}
			}
			overrides.put(key + ".health-check.enabled", false);
			overrides.put(key + ".passive-check.enabled", false);
			if (pool.getDiscovery() != null) {
				// A name that never resolves: only the echo server is a server.
				overrides.put(key + ".discovery.dns", "route-test.invalid");
			}
		});
		for (int i = 0; i < routes.size(); i++) {
			RouteDefinition route = routes.get(i);
			String key = ROUTES + "[" + i + "]";
			overrides.put(key + ".id", route.getId());
			String uri = route.getUri().toString();
			overrides.put(key + ".uri", uri.startsWith("lb://") ? uri : this.echoServers.start(uri));
			overrides.put(key + ".order", route.getOrder());
			List<PredicateDefinition> predicates = route.getPredicates();
			for (int j = 0; j < predicates.size(); j++) {
				definition(overrides, key + ".predicates[" + j + "]", predicates.get(j).getName(),
						predicates.get(j).getArgs());
			}
			List<FilterDefinition> filters = route.getFilters();
			for (int j = 0; j < filters.size(); j++) {
				definition(overrides, key + ".filters[" + j + "]", filters.get(j).getName(), filters.get(j).getArgs());
			}
			definition(overrides, key + ".filters[" + filters.size() + "]", "AddRequestHeader",
					Map.of("name", EchoServers.ROUTE_HEADER, "value", String.valueOf(route.getId())));
			route.getMetadata().forEach((name, value) -> overrides.put(key + ".metadata[" + name + "]", value));
		}
		environment.getPropertySources().addFirst(new MapPropertySource("route-test", overrides));
	}

	private static void definition(Map<String, Object> overrides, String key, String name, Map<String, String> args) {
		overrides.put(key + ".name", name);
		args.forEach((arg, value) -> overrides.put(key + ".args[" + arg + "]", value));
	}

	@Override
	public void close() {
		this.junction.close();
		this.echoServers.close();
	}

	/**
	 * What became of one request.
	 *
	 * @param status the status the client got, or -1 when the request failed
	 * @param route the route that took it, {@link RouteCase#NO_ROUTE} for none, or null
	 * when no server answered and Junction's answer does not say
	 * @param pool the pool whose server answered (or a route's plain URL), or null
	 * @param path the path and query the server received, or null
	 */
	public record Outcome(int status, @Nullable String route, @Nullable String pool, @Nullable String path) {
	}

}

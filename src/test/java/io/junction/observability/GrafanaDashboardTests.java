package io.junction.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import io.junction.RunningJunction;
import io.junction.Scrape;
import io.junction.Startup;
import io.junction.TestAppServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard (helm/junction/dashboards/junction.json, the chart's and the
 * repository's one copy) queries only metrics that Junction really exports.
 */
class GrafanaDashboardTests {

	private static final Path DASHBOARD = Paths.get("helm/junction/dashboards/junction.json");

	// What PromQL puts around metric names: strings, label matchers, ranges, label lists
	// of aggregations and joins, and Grafana's variables.
	private static final Pattern NOT_METRIC_NAMES = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|\\{[^}]*}|\\[[^]]*]"
			+ "|\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)|\\$\\{[^}]*}|\\$\\w+");

	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

	@Test
	void everyMetricTheDashboardQueriesIsOnJunctionsPrometheusEndpoint() throws IOException {
		Set<String> queried = queriedMetrics(Files.readString(DASHBOARD));
		assertThat(queried).as("metrics the dashboard queries")
			.contains("junction_route_requests_total", "junction_route_errors_total",
					"junction_route_request_duration_seconds_bucket", "junction_server_up",
					"junction_server_retries_total", "junction_server_ejections_total",
					"junction_server_response_time_seconds_bucket");
		List<TestAppServer> servers = TestAppServer.startAll("app01", "app02");
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("app"));
		properties.add("junction.shutdown.drain-delay=0s");
		try (RunningJunction junction = Startup.junction(Map.of("app", servers), properties.toArray(String[]::new))) {
			for (int i = 0; i < 4; i++) {
				junction.traffic().get().uri("/work").exchange().expectStatus().isOk();
			}
			assertThat(Scrape.of(junction).names()).containsAll(queried);
		}
		finally {
			servers.forEach(TestAppServer::close);
		}
	}

	@Test
	void everyPanelAndVariableQueriesTheDatasourceChosenByTheVariable() throws IOException {
		String json = Files.readString(DASHBOARD);
		List<String> datasources = JsonPath.read(json, "$..datasource.uid");
		assertThat(datasources).isNotEmpty().allMatch("${datasource}"::equals);
		List<String> variables = JsonPath.read(json, "$.templating.list[*].name");
		assertThat(variables).contains("datasource", "pool", "route");
		List<Object> panelsWithoutDatasource = JsonPath.read(json,
				"$.panels[?(@.type != 'row' && !@.datasource)].title");
		assertThat(panelsWithoutDatasource).isEmpty();
	}

	@Test
	void metricNamesAreReadFromPromQlWithoutFunctionsLabelsOrVariables() {
		String expression = "histogram_quantile(0.99, sum by (route, le) (rate(a_bucket{route=~\"$route\",x=\"y(z)\"}"
				+ "[$__rate_interval]))) / on (route) group_left (pool) b_total offset 5m"
				+ " - time() + max without (server) (c{pool=~\"${pool}\"}) and bool d";
		assertThat(metricNames(expression)).containsExactlyInAnyOrder("a_bucket", "b_total", "c", "d");
	}

	/** Every metric named by the dashboard's panel queries and variable queries. */
	private static Set<String> queriedMetrics(String json) {
		Set<String> names = new TreeSet<>();
		List<String> expressions = JsonPath.read(json, "$..targets[*].expr");
		assertThat(expressions).as("panel queries").isNotEmpty();
		expressions.forEach((expression) -> names.addAll(metricNames(expression)));
		List<String> variableQueries = JsonPath.read(json, "$.templating.list[?(@.type == 'query')].definition");
		for (String query : variableQueries) {
			Matcher metric = LABEL_VALUES.matcher(query);
			assertThat(metric.find()).as("variable query %s", query).isTrue();
			names.add(metric.group(1));
		}
		return names;
	}

	/** The metric names of a PromQL expression: identifiers that are not functions. */
	static Set<String> metricNames(String expression) {
		String bare = NOT_METRIC_NAMES.matcher(expression).replaceAll(" ");
		// Durations after offset (5m) start with a digit and never match.
		Set<String> names = new TreeSet<>();
		Matcher identifier = IDENTIFIER.matcher(bare);
		while (identifier.find()) {
			boolean function = identifier.group(2) != null;
			if (!function && !KEYWORDS.contains(identifier.group(1))) {
				names.add(identifier.group(1));
			}
		}
		return names;
	}

}

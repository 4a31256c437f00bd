package io.junction.haproxy;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes (predicates, filters, order) and pools that each test config becomes.
 */
class HaproxyConversionTests {

	@Test
	void hostAclsMatchTheWholeHostHeaderWithItsPort() {
		HaproxyImport.Result result = ConvertedConfigs.convert("hosts");
		assertThat(result.losses()).isEmpty();
		assertThat(ConvertedConfigs.routeLines(result)).containsExactly(
				"shop lb://shop [Header=Host, (?i)(?:shop\\.example\\.com|shop\\.example\\.com:8080)]",
				"api lb://api [Header=Host, api\\.example\\.com]",
				"static-files lb://static-files [Header=Host, static\\..*]",
				"legacy lb://legacy [Header=Host, .*\\.legacy\\.example\\.org]",
				"legacy-2 lb://legacy [Header=Host, (?i)(?:.*[./?:])?example\\.net(?:[./?:].*)?]",
				"blog lb://blog [Header=Host, blog[0-9]+\\.example\\.com]", "shop-2 lb://shop [Path=/**]");
	}

	@Test
	void eachOrBranchIsARouteAndPathTestsOfABranchAreOneRegex() {
		HaproxyImport.Result result = ConvertedConfigs.convert("conditions");
		assertThat(result.losses()).isEmpty();
		String api = "(?:/api/|/v2/api/)";
		String notInternal = "(?!(?i:/api/internal/))";
		assertThat(ConvertedConfigs.routeLines(result)).containsExactly("health lb://health [PathRegex=^/health$]",
				"admin lb://admin [Header=Host, admin\\.example\\.com, RemoteAddr=10.0.0.0/8,192.168.1.0/24]",
				"admin-2 lb://admin [PathRegex=^/admin/, RemoteAddr=10.0.0.0/8,192.168.1.0/24]",
				"api-write lb://api-write [PathRegex=^(?=" + api + ")" + notInternal + ", Method=POST,PUT,DELETE]",
				"api-beta lb://api-beta [PathRegex=^" + api + ", Query=beta, 1]",
				"api lb://api [PathRegex=^(?=" + api + ")" + notInternal + "]",
				"static lb://static [PathRegex=(?:\\.css|\\.js)$]",
				"static-2 lb://static [PathRegex=^(?=(?:.*/)?docs(?:/|$))(?!.*search)]",
				"web lb://web [PathRegex=^" + notInternal + "]", "web-2 lb://web [Path=/**]");
		assertThat(result.yaml()).contains("# RemoteAddr sees the TCP peer, as src does;");
	}

	@Test
	void rewritesBecomeFiltersOfTheRoutesToTheirBackend() {
		HaproxyImport.Result result = ConvertedConfigs.convert("rewrites");
		assertThat(result.losses()).isEmpty();
		String frontendHeader = "SetRequestHeader=X-Frontend, edge";
		assertThat(ConvertedConfigs.routeLines(result)).containsExactly(
				"legacy lb://legacy [PathRegex=^/legacy/] [" + frontendHeader
						+ ", RewritePath=^.*?(?:/legacy/(?<g1>.*)).*, /app/$\\{g1}, RemoveRequestHeader=X-Debug]",
				"v1 lb://v1 [PathRegex=^/v1/] [" + frontendHeader + ", RewritePath=^/v1(?<g1>/.*)?$, /api$\\{g1}, "
						+ "{name=SetRequestHeader, args={name=X-Api-Version, value=1, legacy}}]",
				"files lb://files [PathRegex=^/files/] [" + frontendHeader
						+ ", RewritePath=(?i)^/files/(?<rest>.*), /storage/files/$\\{rest}]",
				"status lb://status [PathRegex=^/status$] [" + frontendHeader + ", SetPath=/healthz]",
				"web lb://web [Path=/**] [" + frontendHeader + "]");
	}

	@Test
	void sectionsTakeTheLastDefaultsOrTheOneNamedByFrom() {
		HaproxyImport.Result result = ConvertedConfigs.convert("defaults");
		assertThat(result.losses()).isEmpty();
		Map<String, Map<String, Object>> pools = ConvertedConfigs.pools(result);
		// slow is fast with a longer timeout server.
		assertThat(pools.get("reports")).containsEntry("balance", "least-connections")
			.containsEntry("connect-timeout", "500ms")
			.containsEntry("response-timeout", "2m")
			.containsEntry("queue-timeout", "2s");
		assertThat(pools.get("search")).containsEntry("balance", "least-connections")
			.containsEntry("connect-timeout", "250ms")
			.containsEntry("response-timeout", "5s");
		// The last defaults before it: the unnamed one at the end, without retries 3.
		assertThat(pools.get("web")).containsOnlyKeys("response-timeout", "health-check", "servers")
			.containsEntry("response-timeout", "10s");
		assertThat(ConvertedConfigs.at(ConvertedConfigs.yaml(result.yaml()), "junction", "limits", "idle-timeout"))
			.isEqualTo("20s");
	}

	@Test
	void serversKeepWeightsBackupsAndLimitsAndPoolsTheirChecksAndBalancing() {
		HaproxyImport.Result result = ConvertedConfigs.convert("pools");
		assertThat(result.losses()).isEmpty();
		Map<String, Map<String, Object>> pools = ConvertedConfigs.pools(result);
		assertThat(pools.get("orders")).containsEntry("balance", "least-connections")
			.containsEntry("retries", 2)
			.containsEntry("queue-timeout", "10s")
			.containsEntry("health-check",
					Map.of("path", "/healthz", "timeout", "1500ms", "interval", "5s", "rise", 3, "fall", 2,
							"expect-status", "200"))
			.containsEntry("servers", List.of(
					Map.of("name", "o1", "url", "http://10.4.0.1:8080", "weight", 3, "max-connections", 100),
					Map.of("name", "o2", "url", "http://10.4.0.2:8080", "weight", 1, "max-connections", 50),
					Map.of("name", "o3", "url", "http://10.4.0.3:8080", "backup", true, "max-connections", 100)));
		assertThat(pools.get("images")).containsEntry("balance", "hash")
			.containsEntry("hash-on", "path")
			.containsEntry("tls", Map.of("insecure-skip-verify", true))
			.containsEntry("health-check", Map.of("path", "/ping", "timeout", "1500ms"));
		assertThat(pools.get("sessions")).containsEntry("hash-on", "header:X-Session")
			.containsEntry("sticky", Map.of("cookie", "SRV"))
			.containsEntry("all-backups", true);
		assertThat(pools.get("web")).containsEntry("hash-on", "client-address")
			.containsEntry("health-check", Map.of("enabled", false));
	}

	@Test
	void serversThatDifferFromTheFirstInWhatJunctionSetsPerPoolAreListed() {
		HaproxyImport.Result result = ConvertedConfigs.convertText("""
				backend app
				    server a 10.0.0.1:80 check inter 3s
				    server b 10.0.0.2:80 check inter 4s
				    server c 10.0.0.3:80
				""");
		assertThat(result.losses()).extracting((loss) -> loss.line().number()).containsExactly(3, 4);
		assertThat(result.losses().get(0).reasons())
			.containsExactly("inter differs from the first server's, which Junction takes for the whole pool"
					+ " (waits for: per-server inter)");
		assertThat(ConvertedConfigs.pools(result).get("app")).containsEntry("health-check", Map.of("interval", "3s"));
	}

	@Test
	void unlessNegatesEveryBranch() {
		HaproxyImport.Result result = ConvertedConfigs.convertText("""
				frontend fe
				    acl a path_beg /a
				    acl b path_end .b
				    acl c path /c
				    use_backend x unless a b || c
				backend x
				    server x 10.0.0.1:80
				""");
		// NOT ((a AND b) OR c) = (NOT a AND NOT c) OR (NOT b AND NOT c)
		assertThat(ConvertedConfigs.routeLines(result)).containsExactly("x lb://x [PathRegex=^(?!/a)(?!/c$)]",
				"x-2 lb://x [PathRegex=^(?!.*\\.b$)(?!/c$)]");
	}

	@Test
	void aRuleWithAnUnknownAclIsListedAndMakesNoRoute() {
		HaproxyImport.Result result = ConvertedConfigs.convertText("""
				frontend fe
				    use_backend x if nope
				    default_backend x
				backend x
				    server x 10.0.0.1:80
				""");
		assertThat(result.losses()).singleElement().satisfies((loss) -> assertThat(loss.line().number()).isEqualTo(2));
		assertThat(ConvertedConfigs.routeLines(result)).containsExactly("x lb://x [Path=/**]");
	}

	@Test
	void regexWithACommaIsWrittenInTheLongForm() {
		HaproxyImport.Result result = ConvertedConfigs.convertText("""
				frontend fe
				    use_backend x if { path_reg ^/a{1,2}/ }
				backend x
				    server x 10.0.0.1:80
				""");
		assertThat(result.yaml()).contains("""
				                - name: PathRegex
				                  args:
				                    regex: ^/a{1,2}/
				""");
	}

	@Test
	void listenIsAPoolAndItsOwnDefaultRouteWithItsRules() {
		HaproxyImport.Result result = ConvertedConfigs.convertText("""
				listen app
				    bind *:8080
				    acl api path_beg /api/
				    use_backend api if api
				    http-request set-header X-App app
				    server a1 10.0.0.1:80
				backend api
				    server api1 10.0.0.2:80
				""");
		assertThat(result.losses()).isEmpty();
		assertThat(ConvertedConfigs.routeLines(result)).containsExactly("api lb://api [PathRegex=^/api/]",
				"app lb://app [Path=/**] [SetRequestHeader=X-App, app]");
	}

	@Test
	void aBindBelow1024KeepsJunctionsTrafficPortAndOneAboveSetsIt() {
		String privileged = ConvertedConfigs.convertText("""
				frontend fe
				    bind *:80
				    default_backend web
				backend web
				    server w1 10.0.0.1:80
				""").yaml();
		String unprivileged = ConvertedConfigs.convertText("""
				frontend fe
				    bind *:8443
				    default_backend web
				backend web
				    server w1 10.0.0.1:80
				""").yaml();
		assertThat(privileged).doesNotContain("port:");
		assertThat(unprivileged).contains("server:\n  port: 8443");
	}

	@Test
	void defaultBackendMayComeFromDefaults() {
		HaproxyImport.Result result = ConvertedConfigs.convertText("""
				defaults
				    mode http
				    default_backend web
				frontend fe
				    bind *:80
				backend web
				    server w1 10.0.0.1:80
				""");
		assertThat(result.losses()).isEmpty();
		assertThat(ConvertedConfigs.routeLines(result)).containsExactly("web lb://web [Path=/**]");
	}

	@Test
	void httpCheckSendIsTheCheckPath() {
		HaproxyImport.Result result = ConvertedConfigs.convertText("""
				backend app
				    option httpchk
				    http-check send meth GET uri /ready
				    http-check expect status 204
				    server a 10.0.0.1:80 check
				""");
		assertThat(result.losses()).isEmpty();
		assertThat(ConvertedConfigs.pools(result).get("app")).containsEntry("health-check",
				Map.of("path", "/ready", "expect-status", "204"));
	}

	@Test
	void aBackendChosenBySamplesIsListed() {
		HaproxyImport.Result result = ConvertedConfigs.convertText("""
				frontend fe
				    use_backend %[req.hdr(host),lower,map(/etc/hosts.map)]
				backend app
				    server a 10.0.0.1:80
				""");
		assertThat(result.losses()).singleElement()
			.satisfies((loss) -> assertThat(loss.reasons()).singleElement()
				.asString()
				.contains("waits for: dynamic backends"));
	}

	@Test
	void eachRouteNamesTheLinesOfItsOwnBranch() {
		HaproxyImport.Result result = ConvertedConfigs.convertText("""
				frontend fe
				    acl a path_beg /a/
				    acl b path_beg /b/
				    use_backend x if a || b
				backend x
				    server x 10.0.0.1:80
				""");
		assertThat(result.yaml()).contains("""
				            # line 2: acl a path_beg /a/
				            # line 4: use_backend x if a || b
				            - id: x
				""", """
				            # line 3: acl b path_beg /b/
				            # line 4: use_backend x if a || b
				            - id: x-2
				""");
	}

	@Test
	void theFrontendIsConvertedRatherThanAStatsListenBeforeIt() {
		HaproxyImport.Result result = ConvertedConfigs.convertText("""
				listen stats
				    bind :8404
				    stats enable
				frontend fe
				    bind :8080
				    default_backend web
				backend web
				    server w1 10.0.0.1:80
				""");
		assertThat(result.losses()).extracting((loss) -> loss.line().number()).containsExactly(1, 2, 3);
		assertThat(ConvertedConfigs.routeLines(result)).containsExactly("web lb://web [Path=/**]");
		assertThat(ConvertedConfigs.at(ConvertedConfigs.yaml(result.yaml()), "server", "port")).isEqualTo(8080);
	}

	@Test
	void aNegatedHostTestIsAHostThatDoesNotMatch() {
		HaproxyImport.Result result = ConvertedConfigs.convertText("""
				frontend fe
				    acl old hdr(host) -i old.example.com
				    use_backend web if !old
				backend web
				    server w1 10.0.0.1:80
				""");
		assertThat(result.losses()).isEmpty();
		assertThat(ConvertedConfigs.routeLines(result))
			.containsExactly("web lb://web [Header=Host, (?!(?:(?i)old\\.example\\.com)$).*]");
		Pattern notOld = Pattern.compile("(?!(?:(?i)old\\.example\\.com)$).*");
		assertThat(notOld.matcher("OLD.example.com").matches()).isFalse();
		assertThat(notOld.matcher("old.example.com:8080").matches()).isTrue();
		assertThat(notOld.matcher("new.example.com").matches()).isTrue();
		assertThat(result.yaml()).contains("# A request without Host (HTTP/1.0) matches no Header predicate");
	}

}

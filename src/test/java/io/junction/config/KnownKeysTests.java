package io.junction.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.junction.ConfigurationProblem;
import io.junction.accesslog.AccessLogProperties;
import io.junction.admin.AdminProperties;
import io.junction.lifecycle.ShutdownProperties;
import io.junction.pools.PoolsProperties;
import io.junction.routing.RoutingProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import static org.assertj.core.api.Assertions.assertThat;

/** Unknown keys under junction: found, named as written, and told what was meant. */
class KnownKeysTests {

	private final KnownKeys junction = KnownKeys.of(Map.of(PoolsProperties.class, PoolsProperties.PREFIX,
			RoutingProperties.class, RoutingProperties.PREFIX, AccessLogProperties.class, AccessLogProperties.PREFIX,
			AdminProperties.class, AdminProperties.PREFIX, ShutdownProperties.class, ShutdownProperties.PREFIX));

	@Test
	void misspeltPoolKeyNamesTheNearestKnownKey() {
		assertThat(unknown("junction.backends.foo.helth-check.interval")).containsExactly(new ConfigurationProblem(
				"junction.backends.foo.helth-check", "unknown key; did you mean junction.backends.foo.health-check?"));
	}

	@Test
	void poolKeyJunctionDoesNotHaveListsWhatAPoolTakes() {
		assertThat(unknown("junction.backends.foo.option")).containsExactly(new ConfigurationProblem(
				"junction.backends.foo.option",
				"unknown key; junction.backends.foo takes: all-backups, balance, connect-timeout, connection-pool, discovery, "
						+ "hash-balance-factor, hash-on, health-check, max-connections, max-request-body, on-down, "
						+ "passive-check, protocol, queue-size, queue-timeout, response-timeout, retries, retry-buffer, "
						+ "retry-on, servers, slow-start, sticky, tls, try-timeout"));
	}

	@Test
	void misspeltServerKeyNamesTheNearestKnownKeyOfTheServer() {
		assertThat(unknown("junction.backends.foo.servers[0].url", "junction.backends.foo.servers[0].wieght"))
			.containsExactly(new ConfigurationProblem("junction.backends.foo.servers[0].wieght",
					"unknown key; did you mean junction.backends.foo.servers[0].weight?"));
	}

	@Test
	void serversWithoutAnIndexAreUnknown() {
		assertThat(unknown("junction.backends.foo.servers.url"))
			.containsExactly(new ConfigurationProblem("junction.backends.foo.servers.url",
					"unknown key; junction.backends.foo.servers is a list: it takes an index, "
							+ "junction.backends.foo.servers[0]"));
	}

	@Test
	void unknownTopLevelKeyListsThePropertiesAndPrefixesUnderJunction() {
		assertThat(unknown("junction.proxy-protocol"))
			.containsExactly(new ConfigurationProblem("junction.proxy-protocol",
					"unknown key; junction takes: access-log, admin, backends, routing, shutdown"));
	}

	@Test
	void misspeltPrefixNamesTheNearestPrefix() {
		assertThat(unknown("junction.acess-log.enabled")).containsExactly(
				new ConfigurationProblem("junction.acess-log", "unknown key; did you mean junction.access-log?"));
	}

	@Test
	void misspeltRoutingKeyNamesTheNearestRoutingKey() {
		assertThat(unknown("junction.routing.preserve-hosts")).containsExactly(new ConfigurationProblem(
				"junction.routing.preserve-hosts", "unknown key; did you mean junction.routing.preserve-host?"));
	}

	@Test
	void longestPrefixWinsSoPoolKeysAreUnknownUnderRouting() {
		assertThat(unknown("junction.routing.backends.foo.retries")).containsExactly(new ConfigurationProblem(
				"junction.routing.backends", "unknown key; junction.routing takes: preserve-host, trusted-proxies"));
	}

	@Test
	void keyBelowASingleValueIsUnknown() {
		assertThat(unknown("junction.routing.trusted-proxies.ipv6", "junction.backends.foo.retries.max"))
			.containsExactly(
					new ConfigurationProblem("junction.routing.trusted-proxies.ipv6",
							"unknown key; junction.routing.trusted-proxies is a single value, with no keys below it"),
					new ConfigurationProblem("junction.backends.foo.retries.max",
							"unknown key; junction.backends.foo.retries is a single value, with no keys below it"));
	}

	@Test
	void knownKeysInRelaxedFormsIndexesAndOddPoolNamesAreFine() {
		assertThat(this.junction
			.unknown(List.of(ConfigurationPropertyName.of("junction"), ConfigurationPropertyName.of("junction.routing"),
					ConfigurationPropertyName.adapt("junction.backends.foo.healthCheck.interval", '.'),
					ConfigurationPropertyName.adapt("junction.backends.foo.HEALTH_CHECK.expect-status", '.'),
					ConfigurationPropertyName.adapt("JUNCTION_BACKENDS_FOO_PASSIVECHECK_LAYER7", '_'),
					ConfigurationPropertyName.of("junction.backends.foo.healthcheck.rise"),
					ConfigurationPropertyName.of("junction.backends.foo.servers[0].url"),
					ConfigurationPropertyName.of("junction.backends.foo.servers.1.weight"),
					ConfigurationPropertyName.of("junction.backends[web.Shop_2].connection-pool.max-idle-time"),
					ConfigurationPropertyName.of("junction.backends.foo.retry-on"),
					ConfigurationPropertyName.of("junction.backends.foo.retry-on[2]"),
					ConfigurationPropertyName.of("junction.backends.foo.try-timeout"),
					ConfigurationPropertyName.of("junction.access-log.queue-capacity"),
					ConfigurationPropertyName.of("junction.shutdown.drain-delay"),
					ConfigurationPropertyName.of("junction.admin.enabled"))))
			.isEmpty();
	}

	@Test
	void namesOutsideJunctionAreLeftAlone() {
		assertThat(unknown("spring.cloud.gateway.server.webflux.routes[0].uri", "junctionx.foo", "server.port"))
			.isEmpty();
	}

	@Test
	void namesBelowOneUnknownElementGiveOneProblem() {
		assertThat(this.junction
			.unknown(List.of(ConfigurationPropertyName.of("junction.backends.foo.helth-check.interval"),
					ConfigurationPropertyName.of("junction.backends.foo.helth-check.timeout"),
					ConfigurationPropertyName.adapt("junction.backends.foo.helthCheck.rise", '.'))))
			.containsExactly(new ConfigurationProblem("junction.backends.foo.helth-check",
					"unknown key; did you mean junction.backends.foo.health-check?"));
	}

	@Test
	void problemsComeInTheOrderOfTheFirstNameThatCausedEach() {
		assertThat(unknown("junction.backends.foo.option", "junction.proxy-protocol", "junction.backends.foo.option.x"))
			.extracting(ConfigurationProblem::key)
			.containsExactly("junction.backends.foo.option", "junction.proxy-protocol");
	}

	@Test
	void mapOfSingleValuesTakesAnyKeyButNothingElseIsLetThrough() {
		KnownKeys keys = KnownKeys.of(Map.of(Labelled.class, "junction"));

		assertThat(keys.unknown(
				names("junction.labels.team", "junction.labels.a.b.c", "junction.labels[x.y]", "junction.labelz.team")))
			.containsExactly(new ConfigurationProblem("junction.labelz", "unknown key; did you mean junction.labels?"));
	}

	@Test
	void classesThatShareAPrefixEachTakeTheirOwnKeys() {
		KnownKeys keys = KnownKeys.of(Map.of(Labelled.class, "junction", Limits.class, "junction"));

		assertThat(keys.unknown(names("junction.labels.team", "junction.max-body", "junction.max-bod")))
			.containsExactly(
					new ConfigurationProblem("junction.max-bod", "unknown key; did you mean junction.max-body?"));
	}

	@Test
	void recordIsKnownByItsComponents() {
		KnownKeys keys = KnownKeys.of(Map.of(Limits.class, "junction"));

		assertThat(keys.unknown(names("junction.max-body", "junction.per-client.burst", "junction.per-client.rate",
				"junction.per-client.rat", "junction.overrides[0].path", "junction.overrides[0].max-body")))
			.containsExactly(
					new ConfigurationProblem("junction.per-client.rat",
							"unknown key; did you mean junction.per-client.rate?"),
					new ConfigurationProblem("junction.overrides[0].max-body",
							"unknown key; junction.overrides[0] takes: path, timeout"));
	}

	@Test
	void constructorBoundClassIsKnownByItsParameters() {
		KnownKeys keys = KnownKeys.of(Map.of(ConstructorBound.class, "junction"));

		assertThat(keys.unknown(names("junction.connect-timeout", "junction.any.thing", "junction.conect-timeout")))
			.containsExactly(new ConfigurationProblem("junction.conect-timeout",
					"unknown key; did you mean junction.connect-timeout?"));
	}

	private List<ConfigurationProblem> unknown(String... names) {
		return this.junction.unknown(names(names));
	}

	private static List<ConfigurationPropertyName> names(String... names) {
		return Stream.of(names).map(ConfigurationPropertyName::of).toList();
	}

	public static class Labelled {

		private Map<String, String> labels = new LinkedHashMap<>();

		public Map<String, String> getLabels() {
			return this.labels;
		}

		public void setLabels(Map<String, String> labels) {
			this.labels = labels;
		}

	}

	record Limits(int maxBody, @Name("per-client") Rate perClientRate, List<PathLimit> overrides) {

		record Rate(int rate, int burst) {
		}

		record PathLimit(String path, Duration timeout) {
		}

	}

	public static class ConstructorBound {

		private final Duration connectTimeout;

		private final Object any;

		private final List<String> unused = new ArrayList<>();

		public ConstructorBound(Duration connectTimeout, Object any) {
			this.connectTimeout = connectTimeout;
			this.any = any;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public Object getAny() {
			return this.any;
		}

		public List<String> getUnused() {
			return this.unused;
		}

	}

}

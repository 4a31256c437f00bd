package io.junction.pools;

import java.util.Map;

import io.junction.InvalidConfigurationException;
import io.junction.Startup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** A pool configured wrongly stops start-up with one line naming the key. */
@ExtendWith(OutputCaptureExtension.class)
class PoolsConfigurationTests {

	private static final String FOO = "junction.backends.services-foo-v1";

	@Test
	void emptyPoolIsRefused() {
		InvalidConfigurationException refusal = Startup.refusal(FOO + ".servers=");
		assertThat(refusal).hasMessage(FOO + ".servers: pool 'services-foo-v1' has no servers; list at least one");
	}

	@Test
	void twoServersWithTheSameNameAreRefused() {
		InvalidConfigurationException refusal = Startup.refusal(FOO + ".servers[0].name=app01",
				FOO + ".servers[0].url=http://127.0.0.1:19001", FOO + ".servers[1].name=app02",
				FOO + ".servers[1].url=http://127.0.0.1:19002", FOO + ".servers[2].name=app01",
				FOO + ".servers[2].url=http://127.0.0.1:19003");
		assertThat(refusal).hasMessage(FOO + ".servers[2].name: server name 'app01' is used twice in pool "
				+ "'services-foo-v1' (also servers[0])");
	}

	@Test
	void serverWithoutNameIsRefused() {
		InvalidConfigurationException refusal = Startup.refusal(FOO + ".servers[0].url=http://127.0.0.1:19001");
		assertThat(refusal).hasMessage(FOO + ".servers[0].name: every server needs a name");
	}

	@Test
	void serverWithoutUrlIsRefused() {
		InvalidConfigurationException refusal = Startup.refusal(FOO + ".servers[0].name=app01");
		assertThat(refusal.getKey()).isEqualTo(FOO + ".servers[0].url");
		assertThat(refusal.getReason()).startsWith("every server needs a url");
	}

	@Test
	void haproxyStyleAddressWithoutSchemeIsRefused() {
		InvalidConfigurationException refusal = Startup.refusal(FOO + ".servers[0].name=app01",
				FOO + ".servers[0].url=app01.example.com:123");
		assertThat(refusal).hasMessage(FOO + ".servers[0].url: 'app01.example.com:123' is not an absolute "
				+ "http(s) URL, such as http://10.0.0.1:8080");
	}

	@Test
	void relativeUrlIsRefused() {
		InvalidConfigurationException refusal = Startup.refusal(FOO + ".servers[0].name=app01",
				FOO + ".servers[0].url=/app01");
		assertThat(refusal.getKey()).isEqualTo(FOO + ".servers[0].url");
		assertThat(refusal.getReason()).contains("not an absolute http(s) URL");
	}

	@Test
	void urlWithoutHostIsRefused() {
		InvalidConfigurationException refusal = Startup.refusal(FOO + ".servers[0].name=app01",
				FOO + ".servers[0].url=http:/app01");
		assertThat(refusal).hasMessage(FOO + ".servers[0].url: 'http:/app01' has no valid host");
	}

	@Test
	void urlWithAPathIsRefused() {
		InvalidConfigurationException refusal = Startup.refusal(FOO + ".servers[0].name=app01",
				FOO + ".servers[0].url=http://127.0.0.1:19001/base");
		assertThat(refusal.getKey()).isEqualTo(FOO + ".servers[0].url");
		assertThat(refusal.getReason()).contains("must name only scheme, host and port");
	}

	@Test
	void poolNameThatIsNotAHostNameIsRefused() {
		InvalidConfigurationException refusal = Startup.refusal(
				"junction.backends.services_foo_v1.servers[0].name=app01",
				"junction.backends.services_foo_v1.servers[0].url=http://127.0.0.1:19001");
		assertThat(refusal.getKey()).isEqualTo("junction.backends.services_foo_v1");
		assertThat(refusal.getReason()).contains("not a host name");
	}

	@Test
	void zeroOrNegativeCheckIntervalIsRefused() {
		assertThat(refusalOf("health-check.interval=0s"))
			.hasMessage(FOO + ".health-check.interval: PT0S must be positive");
		assertThat(refusalOf("health-check.interval=-2s"))
			.hasMessage(FOO + ".health-check.interval: PT-2S must be positive");
	}

	@Test
	void checkTimeoutNotShorterThanIntervalIsRefused() {
		InvalidConfigurationException refusal = refusalOf("health-check.interval=1s", "health-check.timeout=1s");
		assertThat(refusal.getKey()).isEqualTo(FOO + ".health-check.timeout");
		assertThat(refusal.getReason()).contains("must be shorter than interval");
	}

	@Test
	void riseOrFallOfZeroIsRefused() {
		assertThat(refusalOf("health-check.rise=0")).hasMessage(FOO + ".health-check.rise: 0 must be 1 or more");
		assertThat(refusalOf("health-check.fall=0")).hasMessage(FOO + ".health-check.fall: 0 must be 1 or more");
	}

	@Test
	void checkPathWithoutLeadingSlashIsRefused() {
		assertThat(refusalOf("health-check.path=health"))
			.hasMessage(FOO + ".health-check.path: 'health' must start with '/'");
	}

	@Test
	void expectStatusThatDoesNotParseIsRefused() {
		assertThat(refusalOf("health-check.expect-status=2xx")).hasMessage(
				FOO + ".health-check.expect-status: '2xx' is not a status list such as 200-399 or 200,204,300-302");
		assertThat(refusalOf("health-check.expect-status=399-200").getKey())
			.isEqualTo(FOO + ".health-check.expect-status");
		assertThat(refusalOf("health-check.expect-status=700").getKey()).isEqualTo(FOO + ".health-check.expect-status");
	}

	@Test
	void badPassiveCheckAndRetrySettingsAreRefused() {
		assertThat(refusalOf("passive-check.consecutive-errors=0").getKey())
			.isEqualTo(FOO + ".passive-check.consecutive-errors");
		assertThat(refusalOf("passive-check.eject-time=0s").getKey()).isEqualTo(FOO + ".passive-check.eject-time");
		assertThat(refusalOf("retries=-1")).hasMessage(FOO + ".retries: -1 must be 0 or more");
		assertThat(refusalOf("retry-on=conn-failure,5xx")).hasMessage(FOO
				+ ".retry-on: '5xx' is not one of conn-failure, empty-response, response-timeout, junk-response, 502, 503, 504");
		assertThat(refusalOf("connect-timeout=0ms").getKey()).isEqualTo(FOO + ".connect-timeout");
		assertThat(refusalOf("response-timeout=-1s").getKey()).isEqualTo(FOO + ".response-timeout");
	}

	@Test
	void maxEjectedPercentOutsideZeroTo100IsRefusedNamingTheKey() {
		assertThat(refusalOf("passive-check.max-ejected-percent=101"))
			.hasMessage(FOO + ".passive-check.max-ejected-percent: 101 must be from 0 to 100");
		assertThat(refusalOf("passive-check.max-ejected-percent=-1").getKey())
			.isEqualTo(FOO + ".passive-check.max-ejected-percent");
	}

	@Test
	void slowStartNegativeOrAboveAnHourIsRefusedNamingTheKey() {
		assertThat(refusalOf("slow-start=-1s"))
			.hasMessage(FOO + ".slow-start: PT-1S must be from 0 (no slow start) to 1h, such as 30s");
		assertThat(refusalOf("slow-start=61m").getKey()).isEqualTo(FOO + ".slow-start");
	}

	@Test
	void balanceThatIsNoAlgorithmIsRefusedNamingTheKey() {
		assertThat(refusalOf("balance=leastconn"))
			.hasMessage(FOO + ".balance: 'leastconn' is not one of round-robin, least-connections, random, hash");
	}

	@Test
	void hashOnThatIsNoPartOfTheRequestIsRefusedNamingTheKey() {
		assertThat(refusalOf("hash-on=hdr(X-User)")).hasMessage(
				FOO + ".hash-on: 'hdr(X-User)' is not one of path, header:<name>, cookie:<name>, client-address");
		assertThat(refusalOf("hash-on=header:").getKey()).isEqualTo(FOO + ".hash-on");
		assertThat(refusalOf("hash-on=path:/x").getKey()).isEqualTo(FOO + ".hash-on");
		assertThat(refusalOf("hash-balance-factor=0.9").getKey()).isEqualTo(FOO + ".hash-balance-factor");
	}

	@Test
	void stickyModeOtherThanInsertIsRefusedNamingTheKey() {
		assertThat(refusalOf("sticky.cookie=SRV", "sticky.mode=rewrite"))
			.hasMessage(FOO + ".sticky.mode: 'rewrite' is not one of insert");
	}

	@Test
	void stickyCookieThatIsNoCookieNameIsRefusedNamingTheKey() {
		assertThat(refusalOf("sticky.cookie=SRV;x").getKey()).isEqualTo(FOO + ".sticky.cookie");
	}

	@Test
	void stickySessionsAreOffUnlessACookieIsNamed() {
		try (ConfigurableApplicationContext context = Startup.run(FOO + ".servers[0].name=app01",
				FOO + ".servers[0].url=http://127.0.0.1:19001", FOO + ".sticky.mode=insert")) {
			Pool pool = context.getBean(PoolRegistry.class).current().get("services-foo-v1");
			assertThat(pool.sticky().enabled()).isFalse();
		}
	}

	@Test
	void balanceTakesEachAlgorithmAndHaproxysSpellingOfRoundRobin() {
		Map.of("least-connections", Balance.LEAST_CONNECTIONS, "random", Balance.RANDOM, "roundrobin",
				Balance.ROUND_ROBIN, "hash", Balance.HASH)
			.forEach((value, balance) -> {
				try (ConfigurableApplicationContext context = Startup.run(FOO + ".servers[0].name=app01",
						FOO + ".servers[0].url=http://127.0.0.1:19001", FOO + ".balance=" + value)) {
					Pool pool = context.getBean(PoolRegistry.class).current().get("services-foo-v1");
					assertThat(pool.balance()).isEqualTo(balance);
				}
			});
	}

	@Test
	void weightOutsideZeroTo256IsRefused() {
		assertThat(Startup.refusal(FOO + ".servers[0].name=app01", FOO + ".servers[0].url=http://127.0.0.1:19001",
				FOO + ".servers[0].weight=257"))
			.hasMessage(FOO + ".servers[0].weight: 257 must be from 0 to 256 (0 sends the server no new requests)");
		assertThat(Startup
			.refusal(FOO + ".servers[0].name=app01", FOO + ".servers[0].url=http://127.0.0.1:19001",
					FOO + ".servers[0].weight=-1")
			.getKey()).isEqualTo(FOO + ".servers[0].weight");
	}

	@Test
	void refusalIsReportedOnOneLineWithoutAStackTrace(CapturedOutput output) {
		Startup.refusal(FOO + ".servers=");
		assertThat(output.getOut())
			.contains("Invalid configuration: " + FOO
					+ ".servers: pool 'services-foo-v1' has no servers; list at least one")
			.doesNotContain("\tat io.junction");
	}

	private static InvalidConfigurationException refusalOf(String... settings) {
		String[] properties = new String[settings.length + 2];
		properties[0] = FOO + ".servers[0].name=app01";
		properties[1] = FOO + ".servers[0].url=http://127.0.0.1:19001";
		for (int i = 0; i < settings.length; i++) {
			properties[i + 2] = FOO + "." + settings[i];
		}
		return Startup.refusal(properties);
	}

	@Test
	void validPoolStarts() {
		try (ConfigurableApplicationContext context = Startup.run(FOO + ".servers[0].name=app01",
				FOO + ".servers[0].url=https://app01.example.com")) {
			Pool pool = context.getBean(PoolRegistry.class).current().get("services-foo-v1");
			assertThat(pool).isNotNull();
			assertThat(pool.servers()).singleElement().satisfies((server) -> {
				assertThat(server.getName()).isEqualTo("app01");
				assertThat(server.getPort()).isEqualTo(443);
				assertThat(server.isSecure()).isTrue();
			});
		}
	}

}

package io.junction.discovery;

import java.util.ArrayList;
import java.util.List;

import io.junction.InvalidConfigurationException;
import io.junction.Startup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad discovery settings are refused at start-up, naming the key. */
class DiscoveryConfigurationTests {

	private static final String DISCOVERY = "junction.backends.app.discovery";

	@Test
	void addressNameWithoutAPortIsRefused() {
		InvalidConfigurationException refusal = Startup.refusal(with(DISCOVERY + ".dns=app.test"));
		assertThat(refusal).hasMessage(DISCOVERY + ".port: the servers of app.test need a port "
				+ "(or look up SRV records, such as _http._tcp.app.test, which give it)");
	}

	@Test
	void schemeOtherThanHttpOrHttpsIsRefused() {
		InvalidConfigurationException refusal = Startup
			.refusal(with(DISCOVERY + ".dns=_http._tcp.app.test", DISCOVERY + ".scheme=ftp"));
		assertThat(refusal).hasMessage(DISCOVERY + ".scheme: 'ftp' is not http or https");
	}

	@Test
	void dnsServerThatIsNotAnIpAddressIsRefused() {
		InvalidConfigurationException refusal = Startup
			.refusal(with(DISCOVERY + ".dns=_http._tcp.app.test", "junction.discovery.dns-servers=dns.example.com"));
		assertThat(refusal).hasMessage("junction.discovery.dns-servers[0]: 'dns.example.com' is not an IP address "
				+ "with an optional port, such as 10.0.0.2 or 10.0.0.2:53");
	}

	@Test
	void misspeltDiscoveryKeyIsRefusedWithTheNearestOne() {
		InvalidConfigurationException refusal = Startup
			.refusal(with(DISCOVERY + ".dns=_http._tcp.app.test", DISCOVERY + ".intervall=5s"));
		assertThat(refusal).hasMessage(DISCOVERY + ".intervall: unknown key; did you mean " + DISCOVERY + ".interval?");
	}

	private static String[] with(String... properties) {
		List<String> all = new ArrayList<>(Startup.routeEverythingTo("app"));
		all.addAll(List.of(properties));
		return all.toArray(String[]::new);
	}

}

package io.junction.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.junction.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where servers are looked up in DNS (HAProxy's {@code resolvers} section); each pool
 * says what it looks up under {@code junction.backends.<name>.discovery}.
 */
@ConfigurationProperties(DiscoveryProperties.PREFIX)
public class DiscoveryProperties {

	/** Prefix of the discovery properties. */
	public static final String PREFIX = "junction.discovery";

	private static final int DNS_PORT = 53;

	/**
	 * DNS servers to ask, in order, as IP addresses with an optional port (HAProxy
	 * {@code nameserver}); empty for the system's, from /etc/resolv.conf, with its search
	 * domains.
	 */
	private List<String> dnsServers = new ArrayList<>();

	/**
	 * How long to wait for each DNS server's answer (HAProxy {@code timeout resolve}).
	 */
	private Duration timeout = Duration.ofSeconds(2);

	public List<String> getDnsServers() {
		return this.dnsServers;
	}

	public void setDnsServers(List<String> dnsServers) {
		for (int i = 0; i < dnsServers.size(); i++) {
			address(PREFIX + ".dns-servers[" + i + "]", dnsServers.get(i));
		}
		this.dnsServers = dnsServers;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		if (timeout.toMillis() < 1) {
			throw new InvalidConfigurationException(PREFIX + ".timeout", timeout + " must be at least 1ms");
		}
		this.timeout = timeout;
	}

	/** The DNS servers as addresses; empty for the system's. */
	public List<InetSocketAddress> dnsServerAddresses() {
		List<InetSocketAddress> addresses = new ArrayList<>();
		for (int i = 0; i < this.dnsServers.size(); i++) {
			addresses.add(address(PREFIX + ".dns-servers[" + i + "]", this.dnsServers.get(i)));
		}
		return addresses;
	}

	// An IP address, IPv6 in brackets when it has a port: 10.0.0.2, 10.0.0.2:5353,
	// [fd00::2]:53. Never a name: there is nobody yet to ask what it means.
	private static InetSocketAddress address(String key, String server) {
		String text = server.trim();
		String host = text;
		int port = DNS_PORT;
		int colon = text.lastIndexOf(':');
		if (text.startsWith("[")) {
			int end = text.indexOf(']');
			host = (end > 0) ? text.substring(1, end) : text;
			if (end > 0 && end + 1 < text.length() && text.charAt(end + 1) == ':') {
				port = port(key, server, text.substring(end + 2));
			}
		}
		else if (colon > 0 && text.indexOf(':') == colon) {
			host = text.substring(0, colon);
			port = port(key, server, text.substring(colon + 1));
		}
		if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
			throw new InvalidConfigurationException(key,
					"'" + server + "' is not an IP address with an optional port, such as 10.0.0.2 or 10.0.0.2:53");
		}
		try {
			return new InetSocketAddress(InetAddress.getByName(host), port);
		}
		catch (java.net.UnknownHostException ex) {
			throw new InvalidConfigurationException(key, "'" + server + "' is not an IP address: " + ex.getMessage());
		}
	}

	private static int port(String key, String server, String port) {
		try {
			int value = Integer.parseInt(port);
			if (value >= 1 && value <= 65535) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// Refused below.
		}
		throw new InvalidConfigurationException(key, "'" + server + "' has no valid port (1 to 65535)");
	}

}

package io.junction.edge;

import java.util.regex.Pattern;

import io.junction.framing.RequestLimitsProperties;
import io.junction.routing.RoutingProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * What the traffic port speaks besides HTTP: the PROXY protocol, and the plain port that
 * redirects to https, when one is configured; and how long and how many client
 * connections it keeps open.
 */
@AutoConfiguration
@EnableConfigurationProperties({ HttpRedirectProperties.class, ProxyProtocolProperties.class,
		RequestLimitsProperties.class })
public class EdgeAutoConfiguration {

	@Bean
	ProxyProtocolCustomizer proxyProtocolCustomizer(ProxyProtocolProperties properties, RoutingProperties routing) {
		Pattern trusted = properties.getProxyProtocolTrusted();
		return new ProxyProtocolCustomizer(properties.getProxyProtocol(),
				(trusted != null) ? trusted : routing.getTrustedProxies(), new ProxyProtocolRefusals(System::nanoTime));
	}

	@Bean
	ConnectionLimit connectionLimit(RequestLimitsProperties limits) {
		return new ConnectionLimit(limits.getMaxConnections());
	}

	@Bean
	ClientConnectionsCustomizer clientConnectionsCustomizer(RequestLimitsProperties limits, ConnectionLimit limit) {
		return new ClientConnectionsCustomizer(limits, limit);
	}

	// Always defined, and listens only when junction.http-redirect.port is set: Spring
	// AOT would evaluate a condition on it once, at build time.
	@Bean
	HttpsRedirectServer httpsRedirectServer(HttpRedirectProperties properties,
			ObjectProvider<ReactorResourceFactory> resources) {
		ReactorResourceFactory factory = resources.getIfAvailable();
		return new HttpsRedirectServer(properties.getPort(), properties.getHttpsPort(),
				(factory != null) ? factory.getLoopResources() : null);
	}

}

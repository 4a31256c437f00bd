package io.junction.edge;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/** The plain port that redirects to https, when one is configured. */
@AutoConfiguration
@EnableConfigurationProperties(HttpRedirectProperties.class)
public class EdgeAutoConfiguration {

	@Bean
	@ConditionalOnProperty(HttpRedirectProperties.PREFIX + ".port")
	HttpsRedirectServer httpsRedirectServer(HttpRedirectProperties properties,
			ObjectProvider<ReactorResourceFactory> resources) {
		ReactorResourceFactory factory = resources.getIfAvailable();
		Integer port = properties.getPort();
		return new HttpsRedirectServer((port != null) ? port : 0, properties.getHttpsPort(),
				(factory != null) ? factory.getLoopResources() : null);
	}

}

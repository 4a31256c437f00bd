package io.junction.discovery;

import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolsAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Servers of pools found in DNS. */
@AutoConfiguration(after = PoolsAutoConfiguration.class)
@EnableConfigurationProperties(DiscoveryProperties.class)
public class DiscoveryAutoConfiguration {

	@Bean
	DnsDiscovery dnsDiscovery(PoolRegistry registry, DiscoveryProperties properties) {
		return new DnsDiscovery(registry, properties.dnsServerAddresses(), properties.getTimeout());
	}

}

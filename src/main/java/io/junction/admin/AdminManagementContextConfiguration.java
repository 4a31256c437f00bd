package io.junction.admin;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;

/**
 * Beans of the management port's own context: Actuator runs there on a port of its own
 * (management.server.port), which keeps them off the traffic port.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class AdminManagementContextConfiguration {

	@Bean
	CallerAddress callerAddress() {
		return new CallerAddress();
	}

}

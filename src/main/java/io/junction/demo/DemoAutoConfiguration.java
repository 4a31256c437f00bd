package io.junction.demo;

import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolsAutoConfiguration;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** Starts the demo app servers when the {@code demo} profile is active. */
@AutoConfiguration(after = PoolsAutoConfiguration.class)
@Import(DemoAutoConfiguration.DemoBeans.class)
public class DemoAutoConfiguration {

	/**
	 * Registers the demo app servers in the demo profile. A registrar rather than
	 * {@code @Profile}: Spring AOT would fix the profiles at build time, while a
	 * registrar runs at every start, also from AOT-generated code. Public, since that
	 * generated code creates it.
	 */
	public static final class DemoBeans implements BeanRegistrar {

		@Override
		public void register(BeanRegistry registry, Environment environment) {
			if (environment.matchesProfiles("demo")) {
				registry.registerBean("demoAppServers", DemoAppServers.class,
						(bean) -> bean.supplier((beans) -> new DemoAppServers(beans.bean(PoolRegistry.class))));
			}
		}

	}

}

package io.junction.proxy;

import java.util.Map;

import io.junction.balancing.Balancer;
import io.junction.balancing.LeastConnections;
import io.junction.balancing.Sticky;
import io.junction.balancing.WeightedRandom;
import io.junction.balancing.WeightedRoundRobin;
import io.junction.pools.Balance;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolsProperties;
import io.junction.pools.TestPools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each pool gets the balancer of its {@code balance}, and a swap keeps it or not. */
class UpstreamsBalancerTests {

	private final PoolsProperties properties = TestPools.properties(Map.of("app", new int[] { 1, 2 }));

	private final PoolRegistry registry = new PoolRegistry(this.properties);

	private final Upstreams upstreams = new Upstreams(this.registry);

	@AfterEach
	void close() {
		this.upstreams.close();
	}

	@Test
	void aPoolGetsRoundRobinByDefault() {
		assertThat(balancer()).isInstanceOf(WeightedRoundRobin.class);
	}

	@Test
	void aSwapThatChangesBalanceGivesThePoolTheNewAlgorithm() {
		swap(Balance.LEAST_CONNECTIONS);
		assertThat(balancer()).isInstanceOf(LeastConnections.class);
		swap(Balance.RANDOM);
		assertThat(balancer()).isInstanceOf(WeightedRandom.class);
		swap(Balance.ROUND_ROBIN);
		assertThat(balancer()).isInstanceOf(WeightedRoundRobin.class);
	}

	@Test
	void aSwapThatKeepsBalanceKeepsTheBalancerAndItsState() {
		Balancer before = balancer();
		this.properties.getBackends().get("app").setRetries(5);
		this.properties.getBackends().get("app").getConnectionPool().setMaxConnections(7);
		this.registry.swap(this.properties);
		assertThat(balancer()).isSameAs(before);
	}

	@Test
	void aSwapThatTurnsStickySessionsOnOrOffWrapsOrUnwrapsTheBalancer() {
		this.properties.getBackends().get("app").getSticky().setCookie("SRV");
		this.registry.swap(this.properties);
		Balancer sticky = balancer();
		assertThat(sticky).isInstanceOf(Sticky.class);
		this.properties.getBackends().get("app").getSticky().setCookie("JSRV");
		this.registry.swap(this.properties);
		assertThat(balancer()).isSameAs(sticky);
		this.properties.getBackends().get("app").getSticky().setCookie(null);
		this.registry.swap(this.properties);
		assertThat(balancer()).isInstanceOf(WeightedRoundRobin.class);
	}

	private void swap(Balance balance) {
		this.properties.getBackends().get("app").setBalance(balance);
		this.registry.swap(this.properties);
	}

	private Balancer balancer() {
		Upstreams.Upstream upstream = this.upstreams.get("app");
		assertThat(upstream).isNotNull();
		return upstream.balancer();
	}

}

package io.junction.balancing;

import java.lang.management.ManagementFactory;

import io.junction.pools.Pool;
import io.junction.pools.TestPools;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The balancers run on every request: choosing allocates nothing, with the production
 * source of randomness, even when the draws give way to a scan.
 */
class BalancerAllocationTests {

	private static final int CHOICES = 100_000;

	@Test
	void leastConnectionsAllocatesNothingPerChoice() {
		assertThat(allocatedBytes(new LeastConnections(), pool(false))).isLessThan(1024);
		assertThat(allocatedBytes(new LeastConnections(), pool(true))).isLessThan(1024);
	}

	@Test
	void weightedRandomAllocatesNothingPerChoice() {
		assertThat(allocatedBytes(new WeightedRandom(), pool(false))).isLessThan(1024);
		assertThat(allocatedBytes(new WeightedRandom(), pool(true))).isLessThan(1024);
	}

	@Test
	void choosingAmongBackupsAllocatesNothingPerChoice() {
		for (boolean allBackups : new boolean[] { false, true }) {
			Pool pool = TestPools.withBackups(allBackups, new int[] { 1, 2, 3, 4 }, 2, 3);
			pool.servers().get(0).state().markDown("connection refused");
			pool.servers().get(1).state().markDown("connection refused");
			assertThat(allocatedBytes(new WeightedRoundRobin(), pool)).isLessThan(1024);
			assertThat(allocatedBytes(new LeastConnections(), pool)).isLessThan(1024);
			assertThat(allocatedBytes(new WeightedRandom(), pool)).isLessThan(1024);
			assertThat(allocatedBytes(new ConsistentHash(1.25), pool)).isLessThan(1024);
		}
	}

	@Test
	void consistentHashAllocatesNothingPerChoice() {
		assertThat(allocatedBytes(new ConsistentHash(1.25), pool(false))).isLessThan(1024);
		assertThat(allocatedBytes(new ConsistentHash(1.25), pool(true))).isLessThan(1024);
	}

	// With most of the weight DOWN, the draws mostly fail and the balancers scan.
	private static Pool pool(boolean mostlyDown) {
		Pool pool = TestPools.registry(1, 2, 3, 256).current().get("app");
		if (mostlyDown) {
			pool.servers().get(3).state().markDown("connection refused");
		}
		return pool;
	}

	private static long allocatedBytes(Balancer balancer, Pool pool) {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		Candidates candidates = Candidates.of(pool, new FailedServers(), System::nanoTime);
		for (int i = 0; i < CHOICES; i++) {
			balancer.choose(candidates);
		}
		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < CHOICES; i++) {
			if (balancer.choose(candidates) == null) {
				throw new AssertionError("no server chosen");
			}
		}
		return threads.getCurrentThreadAllocatedBytes() - before;
	}

}

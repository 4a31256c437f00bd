package io.junction.pools;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue's order, bound and bookkeeping, with waiters that take what the test lets.
 */
class PoolQueueTests {

	private final PoolQueue queue = new PoolQueue();

	private final List<String> proceeded = new ArrayList<>();

	private final List<String> asked = new ArrayList<>();

	@Test
	void aQueueAtItsSizeRefusesTheNextRequestAndCountsIt() {
		this.queue.configure(2, Duration.ofSeconds(5));
		assertThat(this.queue.join(new TestWaiter("a", false))).isTrue();
		assertThat(this.queue.join(new TestWaiter("b", false))).isTrue();
		assertThat(this.queue.join(new TestWaiter("c", false))).isFalse();
		assertThat(this.queue.size()).isEqualTo(2);
		assertThat(this.queue.max()).isEqualTo(2);
		assertThat(this.queue.refusedFull()).isEqualTo(1);
	}

	@Test
	void aDispatchServesWaitersInOrderWhileTheyCanTakeAServer() {
		this.queue.configure(10, Duration.ofSeconds(5));
		TestWaiter a = new TestWaiter("a", false);
		TestWaiter b = new TestWaiter("b", false);
		TestWaiter c = new TestWaiter("c", false);
		this.queue.join(a);
		this.queue.join(b);
		this.queue.join(c);
		a.free = true;
		b.free = true;
		c.free = true;
		this.queue.dispatch();
		assertThat(this.proceeded).containsExactly("a", "b", "c");
		assertThat(this.queue.isEmpty()).isTrue();
		assertThat(this.queue.served()).isEqualTo(3);
	}

	@Test
	void onceAWaiterWithoutConstraintsFindsEveryServerFullOnlyConstrainedOnesAreAsked() {
		this.queue.configure(10, Duration.ofSeconds(5));
		TestWaiter first = new TestWaiter("first", false);
		TestWaiter second = new TestWaiter("second", false);
		TestWaiter sticky = new TestWaiter("sticky", true);
		this.queue.join(first);
		this.queue.join(second);
		this.queue.join(sticky);
		this.asked.clear();
		sticky.free = true;
		this.queue.dispatch();
		assertThat(this.asked).containsExactly("first", "sticky");
		assertThat(this.proceeded).containsExactly("sticky");
		assertThat(this.queue.size()).isEqualTo(2);
	}

	@Test
	void aWaiterThatLeftIsNeverServedAndOneServedCannotLeave() {
		this.queue.configure(10, Duration.ofSeconds(5));
		TestWaiter gone = new TestWaiter("gone", false);
		TestWaiter served = new TestWaiter("served", false);
		this.queue.join(gone);
		this.queue.join(served);
		assertThat(this.queue.leave(gone, true)).isTrue();
		served.free = true;
		gone.free = true;
		this.queue.dispatch();
		assertThat(this.proceeded).containsExactly("served");
		assertThat(this.queue.leave(served, false)).isFalse();
		assertThat(this.queue.timedOut()).isEqualTo(1);
	}

	private final class TestWaiter implements PoolQueue.Waiter {

		private final String name;

		private final boolean constrained;

		private boolean free;

		TestWaiter(String name, boolean constrained) {
			this.name = name;
			this.constrained = constrained;
		}

		@Override
		public boolean tryTake() {
			PoolQueueTests.this.asked.add(this.name);
			return this.free;
		}

		@Override
		public long proceed() {
			PoolQueueTests.this.proceeded.add(this.name);
			return 1_000_000;
		}

		@Override
		public boolean isConstrained() {
			return this.constrained;
		}

	}

}

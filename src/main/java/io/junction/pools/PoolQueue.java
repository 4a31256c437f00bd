package io.junction.pools;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The requests of one pool waiting for a server (HAProxy's backend queue): when every
 * server that may take a request holds its {@code max-connections}, the request waits
 * here, first in first out, until a slot frees up, its wait reaches {@code queue-timeout}
 * or the client leaves. A pool keeps its queue across reloads, as it keeps its servers.
 *
 * <p>
 * The queue does not choose servers: each {@link Waiter} tries to take one itself, by the
 * pool's candidates and balancer, when the queue {@link #dispatch() dispatches}: after a
 * slot frees, a waiter joins, a server comes UP or back into rotation, or a reload. A
 * waiter that could not take one stays in its place. Once a waiter without constraints
 * (no sticky server, no server it already failed on) finds every server full, so would
 * every later one without constraints, so those are skipped: a dispatch costs a few field
 * reads per waiter beyond the first.
 */
public final class PoolQueue {

	private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

	// Read without the lock on the request path: a pool whose queue is empty pays one
	// volatile read.
	private volatile int size;

	private volatile int limit = 1000;

	private volatile Duration timeout = Duration.ofSeconds(5);

	private int max;

	private final LongAdder queued = new LongAdder();

	private final LongAdder served = new LongAdder();

	private final LongAdder waitNanos = new LongAdder();

	private final LongAdder refusedFull = new LongAdder();

	private final LongAdder timedOut = new LongAdder();

	PoolQueue() {
	}

	/** Sets the queue's length and wait limits, from the pool's configuration. */
	void configure(int limit, Duration timeout) {
		this.limit = limit;
		this.timeout = timeout;
	}

	/** The most requests that may wait at once ({@code queue-size}); 0: none waits. */
	public int limit() {
		return this.limit;
	}

	/** The longest a request waits for a server ({@code queue-timeout}). */
	public Duration timeout() {
		return this.timeout;
	}

	/** Whether no request waits: a new one may take a server at once. */
	public boolean isEmpty() {
		return this.size == 0;
	}

	/**
	 * Puts {@code waiter} at the end of the queue, unless it is full; then dispatches, in
	 * case a slot freed while the waiter found none.
	 * @return whether the waiter joined the queue; false when it holds {@code queue-size}
	 * requests already
	 */
	public boolean join(Waiter waiter) {
		synchronized (this) {
			if (this.waiting.size() >= this.limit) {
				this.refusedFull.increment();
				return false;
			}
			this.waiting.addLast(waiter);
			this.size = this.waiting.size();
			this.max = Math.max(this.max, this.size);
			this.queued.increment();
		}
		dispatch();
		return true;
	}

	/**
	 * Takes {@code waiter} out of the queue, its wait over (timed out, or the client
	 * left).
	 * @param timedOut whether its wait reached the queue timeout, to count it
	 * @return whether it was still waiting; false when a dispatch served it first
	 */
	public boolean leave(Waiter waiter, boolean timedOut) {
		synchronized (this) {
			if (!this.waiting.remove(waiter)) {
				return false;
			}
			this.size = this.waiting.size();
		}
		if (timedOut) {
			this.timedOut.increment();
		}
		return true;
	}

	/**
	 * Lets each waiter, in order, try to take a server; those that did leave the queue.
	 * Their requests go on outside the lock, on the calling thread.
	 */
	public void dispatch() {
		if (this.size == 0) {
			return;
		}
		List<Waiter> taken = null;
		synchronized (this) {
			boolean fullForAny = false;
			for (Iterator<Waiter> it = this.waiting.iterator(); it.hasNext();) {
				Waiter waiter = it.next();
				boolean constrained = waiter.isConstrained();
				if (fullForAny && !constrained) {
					continue;
				}
				if (waiter.tryTake()) {
					it.remove();
					if (taken == null) {
						taken = new ArrayList<>();
					}
					taken.add(waiter);
				}
				else if (!constrained) {
					fullForAny = true;
				}
			}
			this.size = this.waiting.size();
		}
		if (taken != null) {
			for (Waiter waiter : taken) {
				this.served.increment();
				this.waitNanos.add(waiter.proceed());
			}
		}
	}

	/** A slot of a server with {@code max-connections} freed up. */
	public void slotFreed() {
		dispatch();
	}

	/** Requests waiting now (HAProxy's qcur). */
	public int size() {
		return this.size;
	}

	/** The most requests that waited at once since start (HAProxy's qmax). */
	public synchronized int max() {
		return this.max;
	}

	/** Requests that joined the queue. */
	public long queued() {
		return this.queued.sum();
	}

	/** Requests that left the queue for a server (or for an answer without one). */
	public long served() {
		return this.served.sum();
	}

	/** The sum of the waits of the requests served, in nanoseconds. */
	public long waitNanos() {
		return this.waitNanos.sum();
	}

	/** The average wait of the requests served, in milliseconds (HAProxy's qtime). */
	public double averageWaitMillis() {
		long served = served();
		return (served != 0) ? waitNanos() / 1e6 / served : 0;
	}

	/** Requests answered 503 at once because the queue was full. */
	public long refusedFull() {
		return this.refusedFull.sum();
	}

	/** Requests answered 503 because their wait reached the queue timeout. */
	public long timedOut() {
		return this.timedOut.sum();
	}

	/** A request waiting in the queue. */
	public interface Waiter {

		/**
		 * Called in the queue's order under its lock: takes a server now if one of those
		 * this request may use has a free slot (or ends the wait when none may take it at
		 * all); must not run the request on.
		 * @return whether the wait is over
		 */
		boolean tryTake();

		/**
		 * Runs the request on, outside the lock; returns how long it waited, in nanos.
		 */
		long proceed();

		/**
		 * Whether this request may use fewer servers than any other: it names a sticky
		 * server, or failed on one already.
		 */
		boolean isConstrained();

	}

}

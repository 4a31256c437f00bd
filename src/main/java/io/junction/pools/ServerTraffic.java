package io.junction.pools;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * What one server has been sent and answered: the figures of HAProxy's per-server stats
 * (scur, smax, stot, hrsp_1xx..5xx, econ, eresp, bin, bout). Written on the request path
 * with a few atomic increments, read by the metrics and the stats page through the
 * getters.
 */
public final class ServerTraffic {

	private final AtomicInteger current = new AtomicInteger();

	private final AtomicInteger max = new AtomicInteger();

	private final LongAdder requests = new LongAdder();

	// 1xx..5xx at 0..4, anything else at 5.
	private final LongAdder[] responses = { new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
			new LongAdder(), new LongAdder() };

	private final LongAdder connectionErrors = new LongAdder();

	private final LongAdder responseErrors = new LongAdder();

	private final LongAdder requestBytes = new LongAdder();

	private final LongAdder responseBytes = new LongAdder();

	private final LongAdder responseNanos = new LongAdder();

	private volatile LongConsumer responseTimes = (nanos) -> {
	};

	ServerTraffic() {
	}

	/** A request is being sent to the server. Pair with {@link #ended()}. */
	public void started() {
		started(0);
	}

	/**
	 * A request is being sent to the server, if it has fewer than {@code limit} in flight
	 * (0: no limit). Pair with {@link #ended()}.
	 * @return whether it was under the limit, so that the request counts
	 */
	boolean started(int limit) {
		int now;
		if (limit == 0) {
			now = this.current.incrementAndGet();
		}
		else {
			// Two event loops may both have seen the last slot free: one takes it.
			do {
				now = this.current.get() + 1;
				if (now > limit) {
					return false;
				}
			}
			while (!this.current.compareAndSet(now - 1, now));
		}
		this.requests.increment();
		// Read first: the write happens only when a new maximum is reached, which is
		// rare.
		if (now > this.max.get()) {
			this.max.accumulateAndGet(now, Math::max);
		}
		return true;
	}

	/** A request that {@link #started()} is over: answered, failed or abandoned. */
	public void ended() {
		this.current.decrementAndGet();
	}

	/**
	 * The server answered with {@code status}, its headers {@code nanos} after sending.
	 */
	public void responded(int status, long nanos) {
		int statusClass = status / 100 - 1;
		this.responses[(statusClass >= 0 && statusClass < 5) ? statusClass : 5].increment();
		this.responseNanos.add(nanos);
		this.responseTimes.accept(nanos);
	}

	/** The connection to the server could not be opened. */
	public void connectionFailed() {
		this.connectionErrors.increment();
	}

	/** The request was sent but no response came: a timeout, a close or a reset. */
	public void responseFailed() {
		this.responseErrors.increment();
	}

	/** Bytes written to the server, request line and headers included. */
	public void sent(long bytes) {
		this.requestBytes.add(bytes);
	}

	/** Bytes read from the server, status line and headers included. */
	public void received(long bytes) {
		this.responseBytes.add(bytes);
	}

	/**
	 * Also gives every response time, in nanoseconds, to {@code listener} (the metrics'
	 * histogram), in place of any earlier one. Never called on the request path.
	 */
	public void setResponseTimeListener(LongConsumer listener) {
		this.responseTimes = listener;
	}

	/** Requests being sent or answered now. */
	public int current() {
		return this.current.get();
	}

	/** The most requests in flight at once since start. */
	public int max() {
		return this.max.get();
	}

	/** Requests sent to the server, retried ones included. */
	public long requests() {
		return this.requests.sum();
	}

	/**
	 * Responses of status class {@code statusClass} (1 to 5 for 1xx to 5xx; any other
	 * value for statuses outside 100-599).
	 */
	public long responses(int statusClass) {
		return this.responses[(statusClass >= 1 && statusClass <= 5) ? statusClass - 1 : 5].sum();
	}

	public long connectionErrors() {
		return this.connectionErrors.sum();
	}

	public long responseErrors() {
		return this.responseErrors.sum();
	}

	public long requestBytes() {
		return this.requestBytes.sum();
	}

	public long responseBytes() {
		return this.responseBytes.sum();
	}

	/**
	 * Sum of the times to response headers, in nanoseconds: with the responses, an
	 * average.
	 */
	public long responseNanos() {
		return this.responseNanos.sum();
	}

	/** Responses of any status. */
	public long responses() {
		long total = 0;
		for (LongAdder count : this.responses) {
			total += count.sum();
		}
		return total;
	}

}

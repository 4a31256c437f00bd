package io.junction.observability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Requests Junction answers itself, before any route, because they are bad input: broken
 * framing, heads over the limits, a head too slow, a path the policy refuses. Each is
 * counted by status ({@link JunctionMeters#REFUSED_REQUESTS}) and logged, one line at
 * most every {@link #QUIET}, so that a client sending garbage is seen but cannot flood
 * the log.
 */
public final class RefusedRequests {

	static final Duration QUIET = Duration.ofSeconds(10);

	/** The statuses a refusal has; each has its counter from the start. */
	static final int[] STATUSES = { 400, 408, 414, 431, 505 };

	private static final Log logger = LogFactory.getLog(RefusedRequests.class);

	private final @Nullable Counter[] counters;

	private final LongSupplier nanoClock;

	// Refusals not logged since the last line, and when the next line may be written.
	private final AtomicLong unlogged = new AtomicLong();

	private final AtomicLong nextLine;

	RefusedRequests(@Nullable MeterRegistry registry, LongSupplier nanoClock) {
		this.counters = new Counter[STATUSES.length];
		if (registry != null) {
			for (int i = 0; i < STATUSES.length; i++) {
				this.counters[i] = Counter.builder(JunctionMeters.REFUSED_REQUESTS.meterName())
					.description(JunctionMeters.REFUSED_REQUESTS.description())
					.tag("status", Integer.toString(STATUSES[i]))
					.register(registry);
			}
		}
		this.nanoClock = nanoClock;
		this.nextLine = new AtomicLong(nanoClock.getAsLong());
	}

	/** Counted in {@code registry}. */
	public static RefusedRequests counted(MeterRegistry registry) {
		return new RefusedRequests(registry, System::nanoTime);
	}

	/** Logged only: for a Junction without meters. */
	public static RefusedRequests uncounted() {
		return new RefusedRequests(null, System::nanoTime);
	}

	/**
	 * A request from {@code client} was answered {@code status} for {@code reason}.
	 * @return whether it was logged
	 */
	public boolean refused(int status, String reason, @Nullable Object client) {
		for (int i = 0; i < STATUSES.length; i++) {
			if (STATUSES[i] == status && this.counters[i] != null) {
				this.counters[i].increment();
			}
		}
		long now = this.nanoClock.getAsLong();
		long next = this.nextLine.get();
		if (now - next < 0 || !this.nextLine.compareAndSet(next, now + QUIET.toNanos())) {
			this.unlogged.incrementAndGet();
			return false;
		}
		long others = this.unlogged.getAndSet(0);
		logger.info("Refused a request from " + client + " with " + status + ": " + reason
				+ ((others > 0) ? "; " + others + " other refusals since the last line" : "")
				+ " (junction_refused_requests_total counts them all)");
		return true;
	}

}

package io.junction.pools;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * What Junction knows of one server's health, and what the operator set for it (admin
 * state and weight), read by the load balancer on every request and written by the health
 * checks and by {@link Rotation}. Lock-free: every field is volatile or atomic, and each
 * transition is written by one checker at a time (active checks run one at a time per
 * server; ejection is decided under the passive checks' one lock, which also keeps the
 * pool's {@code max-ejected-percent}; admin changes under the pool's {@link Rotation}).
 */
public final class ServerState {

	// A server starts UP, so that a restart of Junction never empties a pool.
	private volatile boolean up = true;

	private volatile boolean ejected;

	private volatile long ejectedUntilNanos;

	private volatile @Nullable String lastFailure;

	private volatile long lastChangeMillis = System.currentTimeMillis();

	private volatile long lastCheckNanos = -1;

	private volatile AdminState adminState = AdminState.READY;

	private volatile int weight;

	// Set once the operator sets the weight at run time: a reload then keeps it rather
	// than the configured one.
	private volatile boolean weightSetByOperator;

	// Slow start: when the server came UP or was added (a nanoTime), and whether its
	// weight still ramps from then; the pool's Rotation alone ends the ramp.
	private volatile long rampStartNanos;

	private volatile boolean ramping;

	// The share of the weight the server takes now, in twentieths: below
	// RAMP_STEPS only while it slow-starts. Set by the pool's Rotation alone.
	private volatile int rampTwentieths = RAMP_STEPS;

	// Set when the server leaves MAINT in a checked pool: its health is unknown until
	// the next check, which alone may bring it UP.
	private volatile boolean checkPending;

	private final AtomicInteger consecutiveErrors = new AtomicInteger();

	private final LongAdder checksFailed = new LongAdder();

	private final LongAdder ejections = new LongAdder();

	private final LongAdder retries = new LongAdder();

	private final LongAdder redispatches = new LongAdder();

	/** Steps of a slow start: the share of its weight a server starts with is 1/20. */
	static final int RAMP_STEPS = 20;

	ServerState(int weight) {
		this.weight = weight;
	}

	/** Whether active checks hold the server UP. */
	public boolean isUp() {
		return this.up;
	}

	/** Whether passive checks keep the server out of rotation at {@code nanoTime}. */
	public boolean isEjected(long nanoTime) {
		return this.ejected && nanoTime - this.ejectedUntilNanos < 0;
	}

	/**
	 * The server's health at {@code nanoTime} in one word: DOWN, EJECTED or UP, whatever
	 * its admin state.
	 */
	public String status(long nanoTime) {
		return !this.up ? "DOWN" : isEjected(nanoTime) ? "EJECTED" : "UP";
	}

	/** Whether the server may take new requests at {@code nanoTime}. */
	public boolean isAvailable(long nanoTime) {
		return this.up && !isEjected(nanoTime) && isInRotation();
	}

	/**
	 * Whether the operator lets the server take new requests: {@link AdminState#READY}
	 * with a weight above 0. Even panic mode never picks a server that is not.
	 */
	public boolean isInRotation() {
		return this.adminState == AdminState.READY && this.weight > 0;
	}

	/** What the operator lets the server do; READY unless changed at run time. */
	public AdminState adminState() {
		return this.adminState;
	}

	/** The server's share of new requests against the others of its pool, 0 to 256. */
	public int weight() {
		return this.weight;
	}

	/**
	 * The weight the balancers use, in twentieths of a weight: 20 times
	 * {@link #weight()}, or less while the server slow-starts (its pool's
	 * {@code slow-start}). Comparable only with the effective weights of other servers.
	 */
	public int effectiveWeight() {
		return this.weight * this.rampTwentieths;
	}

	/**
	 * Whether the server slow-starts: its {@link #effectiveWeight()} is below its full
	 * weight.
	 */
	public boolean isRamping() {
		return this.ramping;
	}

	/** Starts a slow start at {@code nanoTime}: the server came UP or was added. */
	void startRamp(long nanoTime) {
		this.rampStartNanos = nanoTime;
		this.ramping = true;
	}

	/**
	 * Sets the share of its weight the server takes at {@code nanoTime}, for a slow start
	 * of {@code periodNanos} (0 for none): from 1/20 when it came UP to all of it at the
	 * end of the period, linearly. Returns whether it still ramps.
	 */
	boolean ramp(long nanoTime, long periodNanos) {
		if (!this.ramping) {
			return false;
		}
		long elapsed = nanoTime - this.rampStartNanos;
		if (periodNanos <= 0 || elapsed >= periodNanos) {
			this.rampTwentieths = RAMP_STEPS;
			this.ramping = false;
			return false;
		}
		// 1 at the start, RAMP_STEPS at the end of the period.
		long step = 1 + (Math.max(0, elapsed) * (RAMP_STEPS - 1)) / periodNanos;
		this.rampTwentieths = (int) step;
		return true;
	}

	/**
	 * Whether the server left MAINT and waits for one passed check to be UP again.
	 */
	public boolean isCheckPending() {
		return this.checkPending;
	}

	void setAdminState(AdminState adminState) {
		this.adminState = adminState;
	}

	void setWeight(int weight) {
		this.weight = weight;
		this.weightSetByOperator = true;
	}

	/**
	 * Whether the operator set the weight at run time, so that a new configuration keeps
	 * it.
	 */
	public boolean isWeightSetByOperator() {
		return this.weightSetByOperator;
	}

	/** Takes the configured weight of a kept server, unless the operator set one. */
	void configureWeight(int weight) {
		if (!this.weightSetByOperator) {
			this.weight = weight;
		}
	}

	/**
	 * Holds the server DOWN until its next active check: it left MAINT, in which it was
	 * not checked.
	 */
	void awaitCheck() {
		this.checkPending = true;
		if (this.up) {
			this.up = false;
			this.lastChangeMillis = System.currentTimeMillis();
		}
	}

	/** Marks the server UP; returns whether it was DOWN. */
	public boolean markUp() {
		return markUp(System.nanoTime());
	}

	/**
	 * Marks the server UP at {@code nanoTime}, when its slow start begins; returns
	 * whether it was DOWN.
	 */
	public boolean markUp(long nanoTime) {
		this.checkPending = false;
		if (this.up) {
			return false;
		}
		startRamp(nanoTime);
		this.up = true;
		this.ejected = false;
		this.consecutiveErrors.set(0);
		this.lastChangeMillis = System.currentTimeMillis();
		return true;
	}

	/** Marks the server DOWN; returns whether it was UP. */
	public boolean markDown(String reason) {
		this.lastFailure = reason;
		if (!this.up) {
			return false;
		}
		this.up = false;
		this.lastChangeMillis = System.currentTimeMillis();
		return true;
	}

	/** Takes the server out of rotation until {@code untilNanos} (a nanoTime). */
	public void eject(long untilNanos, String reason) {
		this.lastFailure = reason;
		this.ejectedUntilNanos = untilNanos;
		this.ejected = true;
		this.consecutiveErrors.set(0);
		this.ejections.increment();
		this.lastChangeMillis = System.currentTimeMillis();
	}

	/** Counts a failed request; returns how many failed in a row. */
	public int recordError(String reason) {
		this.lastFailure = reason;
		return this.consecutiveErrors.incrementAndGet();
	}

	/** Counts a successful request, ending any run of failures. */
	public void recordSuccess() {
		if (this.consecutiveErrors.get() != 0) {
			this.consecutiveErrors.set(0);
		}
	}

	/** Counts a failed active check. */
	public void recordCheckFailure(String reason) {
		this.checkPending = false;
		this.lastFailure = reason;
		this.checksFailed.increment();
	}

	/** Records how long the last active check took, passed or failed. */
	public void recordCheckDuration(long nanos) {
		this.lastCheckNanos = nanos;
	}

	/** How long the last active check took, in nanoseconds, or -1 before the first. */
	public long lastCheckNanos() {
		return this.lastCheckNanos;
	}

	/** Counts a request tried again on another server after this one failed it. */
	public void recordRetry(boolean redispatch) {
		(redispatch ? this.redispatches : this.retries).increment();
	}

	/** Why the last check or request failed, or null if none has. */
	public @Nullable String lastFailure() {
		return this.lastFailure;
	}

	/** Wall-clock time of the last change of UP/DOWN or ejection, in epoch millis. */
	public long lastChangeMillis() {
		return this.lastChangeMillis;
	}

	public long checksFailed() {
		return this.checksFailed.sum();
	}

	public long ejections() {
		return this.ejections.sum();
	}

	/** Requests retried elsewhere after this server failed them once sent. */
	public long retries() {
		return this.retries.sum();
	}

	/** Requests sent elsewhere after this server refused their connection. */
	public long redispatches() {
		return this.redispatches.sum();
	}

}

package io.junction.pools;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Which servers of a pool take new requests and how often, as the operator sets it at run
 * time: each server's {@link AdminState} and weight, turned into the order in which
 * {@link RoundRobinLoadBalancer} offers the servers. The order is HAProxy's and nginx's
 * smooth weighted round robin, so that weights 3:1 give A A B A rather than A A A B, and
 * equal weights give strict round robin in configuration order.
 *
 * <p>
 * Changes are rare and come from the management port: they are made under this object's
 * lock and publish a new order, which the request path reads from one volatile field.
 *
 * <p>
 * Slow start (HAProxy {@code slowstart}) uses the same orders: while a server of the pool
 * ramps up, the order is published again at each of 20 steps of the period, with each
 * server's {@link ServerState#effectiveWeight() effective weight}, and once the period is
 * over, with full weights, after which the steps stop. The request path reads orders as
 * before, without a lock or an allocation.
 */
public final class Rotation {

	/** Highest weight of a server, as in HAProxy. */
	public static final int MAX_WEIGHT = 256;

	private final List<PoolServer> servers;

	private final boolean checked;

	// Index into servers of each turn of one cycle of the normal servers, and of the
	// backups: apart, so that a backup's turns never go to the normal server after it.
	// Empty when no such server is in rotation.
	private volatile int[] order;

	private volatile int[] backupOrder;

	private final long slowStartNanos;

	// The steps of a slow start while one runs, on the shared scheduler.
	// Guarded by this.
	private @Nullable ScheduledFuture<?> steps;

	Rotation(List<PoolServer> servers, boolean checked) {
		this(servers, checked, Duration.ZERO);
	}

	/**
	 * The rotation of {@code servers}, which ramp up over {@code slowStart} (zero for no
	 * slow start) when they come UP or are added. A kept server still ramping goes on
	 * ramping here.
	 */
	Rotation(List<PoolServer> servers, boolean checked, Duration slowStart) {
		this.servers = List.copyOf(servers);
		this.checked = checked;
		this.slowStartNanos = slowStart.toNanos();
		synchronized (this) {
			if (publish(System.nanoTime())) {
				scheduleSteps();
			}
		}
	}

	/**
	 * One cycle of turns of the normal (not backup) servers, as indexes into the pool's
	 * servers. Never modified. Each such server in rotation has as many turns as its
	 * weight (over the weights' divisor), so a turn taken at random is a server drawn by
	 * weight.
	 */
	public int[] order() {
		return this.order;
	}

	/** The same as {@link #order()} for the backup servers. */
	public int[] backupOrder() {
		return this.backupOrder;
	}

	private void publish() {
		if (publish(System.nanoTime())) {
			scheduleSteps();
		}
	}

	// Sets each server's share of its weight at nanoTime, then the orders; returns
	// whether a server still ramps up.
	private boolean publish(long nanoTime) {
		boolean ramping = false;
		for (int i = 0; i < this.servers.size(); i++) {
			ramping |= this.servers.get(i).state().ramp(nanoTime, this.slowStartNanos);
		}
		this.order = order(this.servers, false);
		this.backupOrder = order(this.servers, true);
		return ramping;
	}

	/**
	 * A server of the pool is about to come UP: with slow start, the orders are published
	 * with its starting weight first, so that no request finds it UP at its full weight.
	 * Nothing without slow start.
	 * @throws IllegalArgumentException if the server is not of this pool
	 */
	public synchronized void comingUp(PoolServer server) {
		if (this.slowStartNanos > 0) {
			long now = System.nanoTime();
			stateOf(server).startRamp(now);
			publish(now);
		}
	}

	/**
	 * A server of the pool came UP: with slow start, publishes the orders with its
	 * starting weight and steps them up over the period. Nothing without slow start,
	 * whose orders do not change.
	 */
	public synchronized void rampUp() {
		if (this.slowStartNanos > 0) {
			publish();
		}
	}

	/**
	 * Publishes the orders with the effective weights at {@code nanoTime}, as each step
	 * of a slow start does; returns whether a server still ramps up. Tests call it with
	 * their own clock.
	 */
	public synchronized boolean step(long nanoTime) {
		boolean ramping = publish(nanoTime);
		if (!ramping && this.steps != null) {
			this.steps.cancel(false);
			this.steps = null;
		}
		return ramping;
	}

	/** Whether a slow start's steps are scheduled. */
	synchronized boolean isStepping() {
		return this.steps != null;
	}

	// Guarded by this.
	private void scheduleSteps() {
		if (this.steps == null) {
			long every = Math.max(TimeUnit.MILLISECONDS.toNanos(10), this.slowStartNanos / ServerState.RAMP_STEPS);
			this.steps = StepScheduler.EXECUTOR.scheduleAtFixedRate(() -> step(System.nanoTime()), every, every,
					TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Sets the server's admin state and returns the previous one. A server that leaves
	 * MAINT in a pool with active checks is held DOWN until its next check passes, since
	 * it was not checked while in maintenance.
	 * @throws IllegalArgumentException if the server is not of this pool
	 */
	public synchronized AdminState setAdminState(PoolServer server, AdminState state) {
		ServerState serverState = stateOf(server);
		AdminState previous = serverState.adminState();
		if (previous == AdminState.MAINT && state != AdminState.MAINT && this.checked) {
			serverState.awaitCheck();
		}
		serverState.setAdminState(state);
		publish();
		return previous;
	}

	/**
	 * Sets the server's weight and returns the previous one.
	 * @throws IllegalArgumentException if the weight is not 0 to 256 or the server is not
	 * of this pool
	 */
	public synchronized int setWeight(PoolServer server, int weight) {
		if (weight < 0 || weight > MAX_WEIGHT) {
			throw new IllegalArgumentException(weight + " is not a weight from 0 to " + MAX_WEIGHT);
		}
		ServerState serverState = stateOf(server);
		int previous = serverState.weight();
		serverState.setWeight(weight);
		publish();
		return previous;
	}

	private ServerState stateOf(PoolServer server) {
		if (!this.servers.contains(server)) {
			throw new IllegalArgumentException(server + " is not a server of this pool");
		}
		return server.state();
	}

	/**
	 * Smooth weighted round robin over the servers in rotation: at each turn every one
	 * gains its weight, the one with most (the first on a tie) takes the turn and pays
	 * back the total. Weights are divided by their greatest common divisor first, so that
	 * equal weights give a cycle of one turn per server.
	 */
	static int[] order(List<PoolServer> servers) {
		return order(servers, false);
	}

	/** {@link #order(List)} over the backups, or over the normal servers. */
	static int[] order(List<PoolServer> servers, boolean backups) {
		int[] weights = new int[servers.size()];
		int divisor = 0;
		for (int i = 0; i < weights.length; i++) {
			PoolServer server = servers.get(i);
			ServerState state = server.state();
			weights[i] = (state.isInRotation() && server.isBackup() == backups) ? state.effectiveWeight() : 0;
			divisor = gcd(divisor, weights[i]);
		}
		if (divisor == 0) {
			return new int[0];
		}
		int total = 0;
		for (int i = 0; i < weights.length; i++) {
			weights[i] /= divisor;
			total += weights[i];
		}
		int[] order = new int[total];
		int[] current = new int[weights.length];
		for (int turn = 0; turn < total; turn++) {
			int best = -1;
			for (int i = 0; i < weights.length; i++) {
				if (weights[i] > 0) {
					current[i] += weights[i];
					if (best < 0 || current[i] > current[best]) {
						best = i;
					}
				}
			}
			current[best] -= total;
			order[turn] = best;
		}
		return order;
	}

	private static int gcd(int a, int b) {
		return (b == 0) ? a : gcd(b, a % b);
	}

	/**
	 * One daemon thread for the steps of every pool's slow start: a step is a short pass
	 * over one pool's servers, and steps are rare (20 per period).
	 */
	private static final class StepScheduler {

		static final ScheduledThreadPoolExecutor EXECUTOR = create();

		private static ScheduledThreadPoolExecutor create() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "junction-slow-start");
				thread.setDaemon(true);
				return thread;
			});
			executor.setRemoveOnCancelPolicy(true);
			return executor;
		}

	}

}

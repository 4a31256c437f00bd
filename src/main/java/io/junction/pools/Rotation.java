package io.junction.pools;

import java.util.List;

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

	Rotation(List<PoolServer> servers, boolean checked) {
		this.servers = List.copyOf(servers);
		this.checked = checked;
		publish();
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
		this.order = order(this.servers, false);
		this.backupOrder = order(this.servers, true);
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
			weights[i] = (state.isInRotation() && server.isBackup() == backups) ? state.weight() : 0;
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

}

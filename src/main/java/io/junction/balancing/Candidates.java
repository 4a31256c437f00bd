package io.junction.balancing;

import java.util.List;
import java.util.function.LongSupplier;

import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.ServerState;
import org.jspecify.annotations.Nullable;

/**
 * Which servers of a pool may take one request, the one rule every {@link Balancer}
 * follows: UP by its active checks, not ejected by its passive checks, in rotation (READY
 * with a weight above 0), and not already failed by this request. When ejection leaves
 * none, the pool is in panic mode (Envoy's name): ejected servers are candidates again,
 * since trying one beats refusing the request. Panic mode overrides passive health only,
 * never active checks or the operator.
 */
public final class Candidates {

	private final Pool pool;

	private final FailedServers failed;

	private final long now;

	private final long key;

	private final @Nullable PoolServer requested;

	private boolean panic;

	private Candidates(Pool pool, FailedServers failed, long now, long key, @Nullable PoolServer requested) {
		this.pool = pool;
		this.failed = failed;
		this.now = now;
		this.key = key;
		this.requested = requested;
	}

	/** The candidates of {@code pool} for a request that {@code failed} so far. */
	public static Candidates of(Pool pool, FailedServers failed, LongSupplier nanoClock) {
		return new Candidates(pool, failed, nanoClock.getAsLong(), 0, null);
	}

	/**
	 * The candidates of {@code pool} for a request with the hash {@code key} (what the
	 * pool hashes on) that {@code failed} so far.
	 */
	public static Candidates keyed(Pool pool, FailedServers failed, LongSupplier nanoClock, long key) {
		return new Candidates(pool, failed, nanoClock.getAsLong(), key, null);
	}

	/**
	 * The candidates of {@code pool} for a request with the hash {@code key} (0 when the
	 * pool does not hash) whose sticky cookie names {@code requested} (null when it names
	 * no server of the pool), that {@code failed} so far.
	 */
	public static Candidates requested(Pool pool, FailedServers failed, LongSupplier nanoClock, long key,
			@Nullable PoolServer requested) {
		return new Candidates(pool, failed, nanoClock.getAsLong(), key, requested);
	}

	/** The hash of the request's key, for balancers that hash; 0 when it has none. */
	public long key() {
		return this.key;
	}

	/**
	 * The server of the pool that the request's sticky cookie names, for {@link Sticky};
	 * null when it names none.
	 */
	public @Nullable PoolServer requested() {
		return this.requested;
	}

	/** The pool's servers, candidates or not, in configuration order. */
	public List<PoolServer> servers() {
		return this.pool.servers();
	}

	/** The pool, for its rotation. */
	public Pool pool() {
		return this.pool;
	}

	/** Whether {@code server} may take the request. */
	public boolean accepts(PoolServer server) {
		ServerState state = server.state();
		return state.isUp() && state.isInRotation() && (this.panic || !state.isEjected(this.now))
				&& (this.failed.size() == 0 || !this.failed.contains(server));
	}

	/** Whether ejected servers are candidates, as no other server was. */
	public boolean isPanic() {
		return this.panic;
	}

	/**
	 * Enters panic mode, when that would make a candidate of a server that is not one
	 * now: returns whether it did.
	 */
	boolean enterPanic() {
		if (this.panic) {
			return false;
		}
		this.panic = true;
		for (PoolServer server : this.pool.servers()) {
			if (accepts(server)) {
				return true;
			}
		}
		this.panic = false;
		return false;
	}

	/**
	 * The server {@code balancer} chooses among the candidates, in panic mode if no other
	 * is left; null when there is none at all.
	 */
	public PoolServer choose(Balancer balancer) {
		PoolServer chosen = balancer.choose(this);
		if (chosen == null && enterPanic()) {
			chosen = balancer.choose(this);
		}
		return chosen;
	}

}

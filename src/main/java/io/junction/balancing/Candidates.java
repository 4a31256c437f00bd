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
 *
 * <p>
 * Backup servers (HAProxy {@code backup}) are candidates only when no normal server is:
 * then the first backup in configuration order that may take the request, or, with the
 * pool's {@code all-backups} (HAProxy {@code option allbackups}), every backup that may,
 * by weight. Backups come before panic mode: a backup that is not known to fail beats a
 * normal server that is, so ejected normal servers are tried again only when no backup
 * may take the request either; in panic mode, the ejected normal servers come before the
 * ejected backups. Balancers draw from {@link #order()}, the rotation order of the
 * servers in use: the normal servers' or the backups'.
 */
public final class Candidates {

	private final Pool pool;

	private final FailedServers failed;

	private final long now;

	private final long key;

	private final @Nullable PoolServer requested;

	private boolean panic;

	// Which servers this try uses, found on the first question and again on entering
	// panic mode: one pass over the pool, then field reads.
	private byte tier = UNKNOWN;

	// With tier BACKUPS, the first backup that may take the request.
	private @Nullable PoolServer firstBackup;

	private static final byte UNKNOWN = 0;

	private static final byte NORMAL = 1;

	private static final byte BACKUPS = 2;

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

	/**
	 * The rotation order of the servers this try uses, as indexes into
	 * {@link #servers()}: the pool's normal servers, or its backups when no normal server
	 * is a candidate.
	 */
	public int[] order() {
		return usesBackups() ? this.pool.rotation().backupOrder() : this.pool.rotation().order();
	}

	/** Whether {@code server} may take the request now. */
	public boolean accepts(PoolServer server) {
		return acceptsWhenFree(server) && !server.isFull();
	}

	/**
	 * Whether {@code server} may take the request once it has a free slot under its
	 * {@code max-connections}: a full server is still the one a sticky request wants.
	 */
	public boolean acceptsWhenFree(PoolServer server) {
		if (!mayTake(server)) {
			return false;
		}
		if (!server.isBackup()) {
			// Even when the pass found none: the server came UP since, and is preferred.
			return true;
		}
		return usesBackups() && (this.pool.allBackups() || server == this.firstBackup);
	}

	/**
	 * Whether no normal server is a candidate, so that backups are: found once per try
	 * (and panic mode).
	 */
	boolean usesBackups() {
		if (this.tier == UNKNOWN) {
			this.tier = findTier();
		}
		return this.tier == BACKUPS;
	}

	private byte findTier() {
		PoolServer first = null;
		List<PoolServer> servers = this.pool.servers();
		for (int i = 0; i < servers.size(); i++) {
			PoolServer server = servers.get(i);
			if (mayTake(server)) {
				if (!server.isBackup()) {
					return NORMAL;
				}
				if (first == null) {
					first = server;
				}
			}
		}
		this.firstBackup = first;
		return BACKUPS;
	}

	// The rule without the backups: UP, in rotation, not ejected unless in panic, and
	// not failed by this request.
	private boolean mayTake(PoolServer server) {
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
		this.tier = UNKNOWN;
		for (PoolServer server : this.pool.servers()) {
			if (accepts(server)) {
				return true;
			}
		}
		this.panic = false;
		this.tier = UNKNOWN;
		return false;
	}

	/**
	 * The server {@code balancer} chooses among the candidates, in panic mode if no other
	 * is left; null when there is none now: see {@link #mustWait()}.
	 */
	public @Nullable PoolServer choose(Balancer balancer) {
		PoolServer chosen = balancer.choose(this);
		// Servers that are only full free up: no reason to try ejected ones.
		if (chosen == null && !mustWait() && enterPanic()) {
			chosen = balancer.choose(this);
		}
		return chosen;
	}

	/**
	 * Whether a server would take the request but for its {@code max-connections}: when
	 * {@link #choose} found none, the request waits in the pool's queue rather than
	 * failing.
	 */
	public boolean mustWait() {
		PoolServer requested = this.requested;
		if (requested != null && acceptsWhenFree(requested)) {
			return requested.isFull();
		}
		List<PoolServer> servers = this.pool.servers();
		for (int i = 0; i < servers.size(); i++) {
			PoolServer server = servers.get(i);
			if (server.isFull() && acceptsWhenFree(server)) {
				return true;
			}
		}
		return false;
	}

}

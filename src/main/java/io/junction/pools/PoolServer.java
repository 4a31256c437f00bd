package io.junction.pools;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One app server of a pool: its configuration (name, URL) and its live state, which a new
 * snapshot of the pools keeps when it configures the same pool, name and URL again.
 */
public final class PoolServer {

	private final String pool;

	private final String name;

	private final URI uri;

	private final int port;

	private final String origin;

	private final ServerState state;

	private final ServerTraffic traffic = new ServerTraffic();

	// The tries on their way to this server now, so that they can be cancelled when it
	// goes DOWN; ServerTraffic counts them, this set can reach them.
	private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();

	private final boolean discovered;

	// Computed once: a request only compares it with its sticky cookie.
	private final String stickyToken;

	private final boolean backup;

	// Changed by a reload, for a kept server.
	private volatile int maxConnections;

	PoolServer(String pool, String name, URI uri, int weight) {
		this(pool, name, uri, weight, false);
	}

	PoolServer(String pool, String name, URI uri, int weight, boolean discovered) {
		this(pool, name, uri, weight, discovered, false);
	}

	PoolServer(String pool, String name, URI uri, int weight, boolean discovered, boolean backup) {
		this.discovered = discovered;
		this.backup = backup;
		this.pool = pool;
		this.name = name;
		this.uri = uri;
		this.state = new ServerState(weight);
		this.port = (uri.getPort() != -1) ? uri.getPort() : (isSecure() ? 443 : 80);
		this.origin = uri.getScheme() + "://" + uri.getRawAuthority();
		this.stickyToken = StickySettings.token(pool, name);
	}

	/**
	 * The value of a sticky cookie that names this server: opaque, the same on every
	 * replica and after a restart, since it depends on the pool's and server's names
	 * only.
	 */
	public String stickyToken() {
		return this.stickyToken;
	}

	/** Scheme, host and port as the start of a URL, such as {@code http://app01:8080}. */
	public String origin() {
		return this.origin;
	}

	/** What Junction knows of the server's health, and its admin state and weight. */
	public ServerState state() {
		return this.state;
	}

	/** What the server has been sent and answered. */
	public ServerTraffic traffic() {
		return this.traffic;
	}

	/**
	 * A try is on its way to the server, if the server has a free slot under its
	 * {@code max-connections}: in flight until {@link #ended(InFlight)}.
	 * @return whether it had one; false when the server is full
	 */
	public boolean started(InFlight attempt) {
		if (!this.traffic.started(this.maxConnections)) {
			return false;
		}
		this.inFlight.add(attempt);
		return true;
	}

	/**
	 * The most requests the server may have in flight at once (HAProxy {@code maxconn});
	 * 0 for no limit.
	 */
	public int maxConnections() {
		return this.maxConnections;
	}

	void configureMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	/** Whether the server holds its {@code max-connections}: a request must wait. */
	public boolean isFull() {
		int limit = this.maxConnections;
		return limit != 0 && this.traffic.current() >= limit;
	}

	/** A try that {@link #started(InFlight)} is over: answered, failed or abandoned. */
	public void ended(InFlight attempt) {
		if (this.inFlight.remove(attempt)) {
			this.traffic.ended();
		}
	}

	/**
	 * Cancels every try in flight to the server (its checks found it DOWN); returns how
	 * many there were.
	 */
	public int cancelInFlight() {
		int cancelled = 0;
		for (InFlight attempt : this.inFlight) {
			attempt.serverDown();
			cancelled++;
		}
		return cancelled;
	}

	/** Whether DNS gave the server, rather than the configuration. */
	public boolean isDiscovered() {
		return this.discovered;
	}

	/**
	 * Whether the server is a backup (HAProxy {@code backup}), a candidate only when no
	 * normal server of its pool is.
	 */
	public boolean isBackup() {
		return this.backup;
	}

	/** The server's name in its pool. */
	public String getName() {
		return this.name;
	}

	/** The name of the server's pool. */
	public String pool() {
		return this.pool;
	}

	public String getHost() {
		return this.uri.getHost();
	}

	public int getPort() {
		return this.port;
	}

	public boolean isSecure() {
		return "https".equals(this.uri.getScheme());
	}

	public URI getUri() {
		return this.uri;
	}

	/**
	 * The server as the health endpoint and the admin endpoint show it: state, admin
	 * state, weight (and the effective weight while it slow-starts), URL,
	 * {@code backup: true} on a backup, and the last failure, if any.
	 */
	public Map<String, Object> details(long nanoTime) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", this.state.status(nanoTime));
		details.put("adminState", this.state.adminState().name());
		details.put("weight", this.state.weight());
		if (this.state.isRamping()) {
			// Slow start: the share of its weight the server takes now.
			details.put("effectiveWeight", this.state.effectiveWeight() / (double) ServerState.RAMP_STEPS);
		}
		if (this.maxConnections != 0) {
			details.put("maxConnections", this.maxConnections);
		}
		details.put("url", this.uri.toString());
		if (this.backup) {
			details.put("backup", true);
		}
		String lastFailure = this.state.lastFailure();
		if (lastFailure != null) {
			details.put("lastFailure", lastFailure);
		}
		return details;
	}

	@Override
	public String toString() {
		return this.pool + "/" + this.name + " " + this.uri;
	}

	/** A try in flight to a server, which the server's health can cut short. */
	public interface InFlight {

		/** The server was marked DOWN or ejected: give up on it now. */
		void serverDown();

	}

}

package io.junction.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.config.ConfigurationReloader;
import io.junction.pools.Balance;
import io.junction.pools.PoolRegistry;
import io.junction.pools.Pool;
import io.junction.pools.PoolQueue;
import io.junction.pools.PoolServer;
import io.junction.pools.ServerState;
import io.junction.pools.ServerTraffic;
import org.jspecify.annotations.Nullable;

/**
 * What the stats page shows: every pool and server with its state and counters, read at
 * one moment. Rendered as JSON for the page's script.
 *
 * @param pools the pools in configuration order
 * @param time when the figures were read, in epoch milliseconds
 * @param config the configuration in place and the last one refused, as
 * {@code /actuator/config} shows them
 */
record PoolStats(List<PoolRow> pools, long time, Map<String, Object> config) {

	// ServerState.effectiveWeight() is in twentieths of a weight.
	private static final double RAMP_STEPS = 20.0;

	static PoolStats read(PoolRegistry registry, ConfigurationReloader reloader) {
		long now = System.nanoTime();
		long wallClock = System.currentTimeMillis();
		List<PoolRow> pools = new ArrayList<>();
		for (Pool pool : registry.current().all()) {
			List<ServerRow> servers = new ArrayList<>();
			for (PoolServer server : pool.servers()) {
				servers.add(ServerRow.of(server, now, wallClock));
			}
			pools.add(new PoolRow(pool.name(), balance(pool), pool.availableCount(now), QueueRow.of(pool), servers));
		}
		return new PoolStats(pools, wallClock, reloader.status());
	}

	/**
	 * How the pool picks its servers, as configured: the algorithm, what
	 * {@code balance: hash} hashes, and the sticky sessions' cookie, such as
	 * {@code hash on header:X-User} or {@code round-robin, sticky cookie SRV}.
	 */
	static String balance(Pool pool) {
		StringBuilder text = new StringBuilder(pool.balance().keyword());
		if (pool.balance() == Balance.HASH) {
			text.append(" on ").append(pool.hash());
		}
		String cookie = pool.sticky().cookie();
		if (cookie != null) {
			text.append(", sticky cookie ").append(cookie);
		}
		return text.toString();
	}

	/**
	 * One pool.
	 *
	 * @param name the pool's name
	 * @param balance how the pool picks its servers, as {@link #balance(Pool)} says
	 * @param available how many servers take new requests
	 * @param queue the requests waiting for a server under its max-connections
	 * @param servers the pool's servers in configuration order
	 */
	record PoolRow(String name, String balance, int available, QueueRow queue, List<ServerRow> servers) {
	}

	/**
	 * A pool's queue (HAProxy's qcur, qmax, qlimit, qtime).
	 *
	 * @param used whether a server of the pool has a max-connections, so that requests
	 * may wait
	 * @param waiting requests waiting now
	 * @param max the most that waited at once
	 * @param limit the most that may wait (queue-size)
	 * @param timeoutMillis the longest one may wait (queue-timeout)
	 * @param queued requests that waited
	 * @param averageWaitMillis how long those that got a server waited, on average
	 * @param refusedFull requests answered 503 at once, the queue being full
	 * @param timedOut requests answered 503 after waiting queue-timeout
	 */
	record QueueRow(boolean used, int waiting, int max, int limit, long timeoutMillis, long queued,
			double averageWaitMillis, long refusedFull, long timedOut) {

		static QueueRow of(Pool pool) {
			boolean used = false;
			for (PoolServer server : pool.servers()) {
				used |= server.maxConnections() != 0;
			}
			PoolQueue queue = pool.queue();
			return new QueueRow(used || queue.queued() > 0, queue.size(), queue.max(), queue.limit(),
					queue.timeout().toMillis(), queue.queued(), queue.averageWaitMillis(), queue.refusedFull(),
					queue.timedOut());
		}

	}

	/**
	 * One server.
	 *
	 * @param name the server's name in its pool
	 * @param url the server's URL
	 * @param state UP, DOWN (active checks) or EJECTED (passive checks)
	 * @param admin READY, DRAIN or MAINT, as the operator set it
	 * @param backup whether the server is a backup, a candidate only when no normal
	 * server of its pool is
	 * @param weight the server's share of new requests, 0 to 256
	 * @param effectiveWeight the weight it takes now while it slow-starts, from 1/20 of
	 * {@code weight} up; null when it does not
	 * @param current requests in flight to the server now
	 * @param limit the most requests it may have in flight (max-connections), 0 for no
	 * limit
	 * @param max the most requests in flight at once
	 * @param requests requests sent to it, retried ones included
	 * @param serverErrors responses with a 5xx status
	 * @param failures connections refused and requests it failed to answer
	 * @param sinceChangeMillis how long the server has been in its state
	 * @param lastCheckMillis how long its last active check took, or -1 before the first
	 * @param lastFailure why the last check or request failed, or null if none has
	 * @param checksFailed how many active checks failed
	 * @param ejections how many times passive checks took it out of rotation
	 * @param retries requests it failed once sent, that were retried elsewhere
	 * @param redispatches requests whose connection it refused, sent elsewhere
	 */
	record ServerRow(String name, String url, String state, String admin, boolean backup, int weight,
			@Nullable Double effectiveWeight, int current, int limit, int max, long requests, long serverErrors,
			long failures, long sinceChangeMillis, double lastCheckMillis, @Nullable String lastFailure,
			long checksFailed, long ejections, long retries, long redispatches) {

		static ServerRow of(PoolServer server, long now, long wallClock) {
			ServerState state = server.state();
			ServerTraffic traffic = server.traffic();
			long checkNanos = state.lastCheckNanos();
			return new ServerRow(server.getName(), server.getUri().toString(), state.status(now),
					state.adminState().name(), server.isBackup(), state.weight(),
					state.isRamping() ? state.effectiveWeight() / RAMP_STEPS : null, traffic.current(),
					server.maxConnections(), traffic.max(), traffic.requests(), traffic.responses(5),
					traffic.connectionErrors() + traffic.responseErrors(),
					Math.max(0, wallClock - state.lastChangeMillis()), (checkNanos < 0) ? -1 : checkNanos / 1e6,
					state.lastFailure(), state.checksFailed(), state.ejections(), state.retries(),
					state.redispatches());
		}

	}

}

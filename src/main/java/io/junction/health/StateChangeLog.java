package io.junction.health;

import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** One line per server state change, in the spirit of HAProxy's own. */
final class StateChangeLog {

	private static final Log logger = LogFactory.getLog("io.junction.health");

	private StateChangeLog() {
	}

	static void down(Pool pool, PoolServer server, int failedChecks, String reason) {
		logger.warn(prefix(pool, server) + " is DOWN (" + failedChecks + " failed checks: " + reason + "), "
				+ pool.upCount() + " of " + pool.servers().size() + " servers UP");
	}

	static void up(Pool pool, PoolServer server, int passedChecks) {
		logger.info(prefix(pool, server) + " is UP (" + passedChecks + " successful checks), " + pool.upCount() + " of "
				+ pool.servers().size() + " servers UP");
	}

	static void ejected(Pool pool, PoolServer server, String ejectTime, int errors, String reason, long now) {
		logger.warn(prefix(pool, server) + " is ejected for " + ejectTime + " (" + errors + " consecutive errors: "
				+ reason + "), " + pool.availableCount(now) + " of " + pool.servers().size() + " servers available");
	}

	static void notEjected(Pool pool, PoolServer server, int errors, String reason, int maxEjectedPercent) {
		logger.warn(prefix(pool, server) + " is not ejected (" + errors + " consecutive errors: " + reason
				+ "): max-ejected-percent " + maxEjectedPercent + " reached, until another server's ejection ends");
	}

	static void cancelled(Pool pool, PoolServer server, int requests) {
		if (requests > 0) {
			logger.warn(prefix(pool, server) + ": " + requests + " requests in flight cut short (on-down: cancel)");
		}
	}

	private static String prefix(Pool pool, PoolServer server) {
		return "backend " + pool.name() + " server " + server.getName();
	}

}

package io.junction.health;

import java.util.function.LongSupplier;

import io.junction.Durations;
import io.junction.pools.OnDown;
import io.junction.pools.PassiveCheckSettings;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.ServerObserver;
import io.junction.pools.ServerState;

/**
 * Passive checks: a server whose real requests fail {@code consecutive-errors} times in a
 * row is ejected for {@code eject-time}, then tried again. Failures are refused or reset
 * connections and timeouts, and with {@code layer7} also 5xx responses. With
 * {@code on-down: cancel}, the requests still in flight to an ejected server are cut
 * short.
 *
 * <p>
 * Ejection is capped by {@code max-ejected-percent} (Envoy's
 * {@code max_ejection_percent}): a server that reaches its errors while the pool has as
 * many ejected as the cap allows stays in rotation, its errors still counted, and is
 * ejected on its next failure after another's ejection has ended.
 */
final class PassiveHealthTracker implements ServerObserver {

	private final LongSupplier nanoClock;

	// Ejections are rare (a run of failures), so one lock for all pools costs nothing on
	// the request path, and keeps two servers from taking the last slot under the cap at
	// once, or one server from being ejected twice by failures that race.
	private final Object ejections = new Object();

	PassiveHealthTracker(LongSupplier nanoClock) {
		this.nanoClock = nanoClock;
	}

	@Override
	public void responded(Pool pool, PoolServer server, int status) {
		if (status >= 500 && pool.passiveCheck().layer7()) {
			failed(pool, server, "HTTP " + status);
		}
		else {
			server.state().recordSuccess();
		}
	}

	@Override
	public void failed(Pool pool, PoolServer server, String reason) {
		ServerState state = server.state();
		long now = this.nanoClock.getAsLong();
		if (state.isEjected(now)) {
			// Requests that were in flight when it was ejected: already counted against
			// it.
			return;
		}
		int errors = state.recordError(reason);
		PassiveCheckSettings settings = pool.passiveCheck();
		// At or past the threshold: past it when the cap held the server in rotation.
		if (!settings.enabled() || errors < settings.consecutiveErrors()) {
			return;
		}
		if (eject(pool, state, settings, reason, now)) {
			StateChangeLog.ejected(pool, server, Durations.readable(settings.ejectTime()), errors, reason, now);
			if (pool.onDown() == OnDown.CANCEL) {
				StateChangeLog.cancelled(pool, server, server.cancelInFlight());
			}
		}
		else if (errors == settings.consecutiveErrors() && !state.isEjected(now)) {
			// Once per run of failures, not on each one the cap holds back.
			StateChangeLog.notEjected(pool, server, errors, reason, settings.maxEjectedPercent());
		}
	}

	/**
	 * Ejects the server unless another failure just did or the pool is at its cap;
	 * returns whether it did.
	 */
	private boolean eject(Pool pool, ServerState state, PassiveCheckSettings settings, String reason, long now) {
		synchronized (this.ejections) {
			if (state.isEjected(now) || pool.ejectedCount(now) >= settings.maxEjected(pool.servers().size())) {
				return false;
			}
			state.eject(now + settings.ejectTime().toNanos(), reason);
			return true;
		}
	}

}

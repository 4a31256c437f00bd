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
 */
final class PassiveHealthTracker implements ServerObserver {

	private final LongSupplier nanoClock;

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
		// Exactly at the threshold: of several requests failing at once, one ejects.
		if (settings.enabled() && errors == settings.consecutiveErrors()) {
			state.eject(now + settings.ejectTime().toNanos(), reason);
			StateChangeLog.ejected(pool, server, Durations.readable(settings.ejectTime()), errors, reason, now);
			if (pool.onDown() == OnDown.CANCEL) {
				StateChangeLog.cancelled(pool, server, server.cancelInFlight());
			}
		}
	}

}

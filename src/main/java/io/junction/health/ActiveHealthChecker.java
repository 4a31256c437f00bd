package io.junction.health;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import io.junction.pools.AdminState;
import io.junction.pools.BackendPools;
import io.junction.pools.HealthCheckSettings;
import io.junction.pools.Pool;
import io.junction.pools.PoolServer;
import io.junction.pools.ServerState;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpClient;

import org.springframework.context.SmartLifecycle;

/**
 * Active checks: every server of every pool with checks enabled is checked on its own
 * schedule, independent of traffic, one check at a time, the first at a random point of
 * the first interval so that servers are not all checked in the same millisecond. A
 * server goes DOWN after {@code fall} failed checks in a row and UP after {@code rise}
 * passed ones.
 */
final class ActiveHealthChecker implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ActiveHealthChecker.class);

	private static final String PASSED = "";

	private static final Duration MAINTENANCE_TICK = Duration.ofMillis(100);

	private final BackendPools pools;

	// A fresh connection per check, as HAProxy does: a pooled one could hide a dead
	// listener.
	private final HttpClient httpClient = HttpClient.create(ConnectionProvider.newConnection())
		.headers((headers) -> headers.set("User-Agent", "Junction-health-check"));

	private final List<Disposable> schedules = new ArrayList<>();

	ActiveHealthChecker(BackendPools pools) {
		this.pools = pools;
	}

	@Override
	public void start() {
		for (Pool pool : this.pools.all()) {
			if (pool.healthCheck().enabled()) {
				for (PoolServer server : pool.servers()) {
					this.schedules.add(new ServerChecks(pool, server).schedule());
				}
			}
		}
	}

	// Before the web server starts, after it stops: checks (or demo servers) outlive
	// the requests that need them.
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	@Override
	public void stop() {
		this.schedules.forEach(Disposable::dispose);
		this.schedules.clear();
	}

	@Override
	public boolean isRunning() {
		return !this.schedules.isEmpty();
	}

	/** The checks of one server; its counters are touched by one check at a time. */
	private final class ServerChecks {

		private final Pool pool;

		private final PoolServer server;

		private final HealthCheckSettings settings;

		private int passedInARow;

		private int failedInARow;

		private boolean first = true;

		ServerChecks(Pool pool, PoolServer server) {
			this.pool = pool;
			this.server = server;
			this.settings = pool.healthCheck();
		}

		Disposable schedule() {
			return Mono.defer(() -> Mono.delay(nextDelay()).then(Mono.defer(this::probeUnlessInMaintenance)))
				.doOnNext(this::record)
				.repeat()
				.subscribe(null, (error) -> logger.error("Health checks of " + this.server + " stopped", error));
		}

		private Duration nextDelay() {
			if (this.server.state().adminState() == AdminState.MAINT) {
				// No check in MAINT; a short tick checks the server soon after it leaves.
				return (this.settings.interval().compareTo(MAINTENANCE_TICK) < 0) ? this.settings.interval()
						: MAINTENANCE_TICK;
			}
			long interval = this.settings.interval().toNanos();
			if (this.first) {
				this.first = false;
				return Duration.ofNanos(ThreadLocalRandom.current().nextLong(interval));
			}
			// Up to 10% either way keeps the servers' checks from drifting into step.
			long jitter = interval / 10;
			return Duration.ofNanos(interval - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1));
		}

		/**
		 * Checks once and records how long it took, unless the server is in MAINT: then
		 * nothing reaches it, and the counts start again once it leaves.
		 */
		private Mono<String> probeUnlessInMaintenance() {
			if (this.server.state().adminState() == AdminState.MAINT) {
				this.passedInARow = 0;
				this.failedInARow = 0;
				return Mono.empty();
			}
			long started = System.nanoTime();
			return probe().doOnNext((outcome) -> this.server.state().recordCheckDuration(System.nanoTime() - started));
		}

		/** Checks once; emits {@link #PASSED} or why the check failed. */
		private Mono<String> probe() {
			Duration timeout = this.settings.timeout();
			int timeoutMillis = (int) Math.max(1, timeout.toMillis());
			Mono<String> probe;
			if (this.settings.path() != null) {
				probe = httpClient.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
					.get()
					.uri(this.server.getUri().resolve(this.settings.path()))
					.responseSingle((response, body) -> body.then(Mono.fromSupplier(() -> {
						int status = response.status().code();
						return this.settings.expectStatus().matches(status) ? PASSED : "HTTP " + status;
					})));
			}
			else {
				probe = TcpClient.newConnection()
					.host(this.server.getHost())
					.port(this.server.getPort())
					.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
					.connect()
					.doOnNext(Connection::dispose)
					.thenReturn(PASSED);
			}
			return probe.timeout(timeout).onErrorResume((error) -> Mono.just(describe(error, timeout)));
		}

		private void record(String outcome) {
			ServerState state = this.server.state();
			if (outcome.isEmpty()) {
				this.failedInARow = 0;
				this.passedInARow++;
				// Leaving MAINT the server was unchecked, not failing: one passed check
				// brings it back, not rise.
				boolean pending = state.isCheckPending();
				if (!state.isUp() && (pending || this.passedInARow >= this.settings.rise()) && state.markUp()) {
					StateChangeLog.up(this.pool, this.server, this.passedInARow);
				}
			}
			else {
				this.passedInARow = 0;
				this.failedInARow++;
				state.recordCheckFailure(outcome);
				if (state.isUp() && this.failedInARow >= this.settings.fall() && state.markDown(outcome)) {
					StateChangeLog.down(this.pool, this.server, this.failedInARow, outcome);
				}
			}
		}

	}

	private static String describe(Throwable error, Duration timeout) {
		if (error instanceof NoRouteToHostException) {
			return "no route to host";
		}
		if (error instanceof ConnectException) {
			return "connection refused";
		}
		if (error instanceof TimeoutException || error instanceof ConnectTimeoutException
				|| error instanceof ReadTimeoutException) {
			return "timeout after " + timeout.toMillis() + "ms";
		}
		if (error instanceof PrematureCloseException) {
			return "connection closed";
		}
		String message = error.getMessage();
		return error.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}

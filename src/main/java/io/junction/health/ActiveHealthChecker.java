package io.junction.health;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import io.junction.pools.AdminState;
import io.junction.pools.BackendPools;
import io.junction.pools.HealthCheckSettings;
import io.junction.pools.OnDown;
import io.junction.pools.Pool;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolServer;
import io.junction.proxy.UpstreamFailure;
import io.junction.proxy.Upstreams;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.tcp.TcpClient;

import org.springframework.context.SmartLifecycle;

/**
 * Active checks: every server of every pool with checks enabled is checked on its own
 * schedule, independent of traffic, one check at a time, the first at a random point of
 * the first interval so that servers are not all checked in the same millisecond. A
 * server goes DOWN after {@code fall} failed checks in a row and UP after {@code rise}
 * passed ones ({@link RiseFall}). Follows the pools registry: a removed server is no
 * longer checked, a new one is, a kept one keeps its schedule and counts.
 */
final class ActiveHealthChecker implements SmartLifecycle, PoolRegistry.Listener {

	private static final Log logger = LogFactory.getLog(ActiveHealthChecker.class);

	private static final String PASSED = "";

	private static final Duration MAINTENANCE_TICK = Duration.ofMillis(100);

	private final PoolRegistry registry;

	private final Upstreams upstreams;

	// Guarded by this: changed at start, stop and swaps, never on the request path.
	private final Map<PoolServer, ServerChecks> checks = new IdentityHashMap<>();

	private boolean running;

	ActiveHealthChecker(PoolRegistry registry, Upstreams upstreams) {
		this.registry = registry;
		this.upstreams = upstreams;
		registry.addListener(this);
	}

	@Override
	public synchronized void start() {
		this.running = true;
		schedule(this.registry.current());
	}

	// Before the web server starts, after it stops: checks (or demo servers) outlive
	// the requests that need them.
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		this.checks.values().forEach(ServerChecks::cancel);
		this.checks.clear();
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	/** Whether {@code server} is being checked now. */
	synchronized boolean isChecking(PoolServer server) {
		return this.checks.containsKey(server);
	}

	@Override
	public synchronized void swapped(PoolRegistry.Swap swap) {
		if (!this.running) {
			return;
		}
		for (PoolServer removed : swap.removed()) {
			ServerChecks gone = this.checks.remove(removed);
			if (gone != null) {
				gone.cancel();
			}
		}
		// Kept servers whose pool's checks are configured alike keep their schedule and
		// counts; the others start again with the new settings.
		this.checks.entrySet().removeIf((entry) -> {
			Pool pool = swap.next().get(entry.getKey().pool());
			if (pool != null && pool.healthCheck().equals(entry.getValue().pool.healthCheck())) {
				entry.getValue().pool = pool;
				return false;
			}
			entry.getValue().cancel();
			return true;
		});
		schedule(swap.next());
	}

	private void schedule(BackendPools pools) {
		for (Pool pool : pools.all()) {
			if (pool.healthCheck().enabled()) {
				for (PoolServer server : pool.servers()) {
					this.checks.computeIfAbsent(server, (unchecked) -> new ServerChecks(pool, unchecked).schedule());
				}
			}
		}
	}

	/** The checks of one server; its counts are touched by one check at a time. */
	private final class ServerChecks {

		// The server's pool in the current snapshot: a swap may replace it.
		volatile Pool pool;

		private final PoolServer server;

		private final HealthCheckSettings settings;

		private final RiseFall riseFall;

		private boolean first = true;

		private Disposable schedule = () -> {
		};

		ServerChecks(Pool pool, PoolServer server) {
			this.pool = pool;
			this.server = server;
			this.settings = pool.healthCheck();
			this.riseFall = new RiseFall(this.settings.rise(), this.settings.fall());
		}

		ServerChecks schedule() {
			this.schedule = Mono.defer(() -> Mono.delay(nextDelay()).then(Mono.defer(this::probeUnlessInMaintenance)))
				.doOnNext(this::record)
				.repeat()
				.subscribe(null, (error) -> logger.error("Health checks of " + this.server + " stopped", error));
			return this;
		}

		void cancel() {
			this.schedule.dispose();
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
				this.riseFall.reset();
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
				probe = ActiveHealthChecker.this.upstreams.checkClient(this.pool)
					.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
					.get()
					.uri(this.server.getUri().resolve(this.settings.path()))
					// The body is read and dropped buffer by buffer (each released as it
					// comes), never aggregated: a check cut short holds no buffer.
					.response((response, body) -> body.then(Mono.fromSupplier(() -> {
						int status = response.status().code();
						return this.settings.expectStatus().matches(status) ? PASSED : "HTTP " + status;
					})))
					.singleOrEmpty();
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
			Pool pool = this.pool;
			if (outcome.isEmpty()) {
				// With slow start, the server's starting weight is in the rotation before
				// it is UP; then its steps are scheduled.
				if (this.riseFall.passed(this.server.state(), () -> pool.rotation().comingUp(this.server))) {
					StateChangeLog.up(pool, this.server, this.riseFall.passedInARow());
					pool.rotation().rampUp();
					pool.queue().dispatch();
				}
			}
			else if (this.riseFall.failed(this.server.state(), outcome)) {
				StateChangeLog.down(pool, this.server, this.riseFall.failedInARow(), outcome);
				if (pool.onDown() == OnDown.CANCEL) {
					StateChangeLog.cancelled(pool, this.server, this.server.cancelInFlight());
				}
			}
		}

	}

	/** Why a check failed: the traffic's wording, with the check's own timeout. */
	static String describe(Throwable error, Duration timeout) {
		if (error instanceof TimeoutException || error instanceof ConnectTimeoutException
				|| error instanceof ReadTimeoutException) {
			return "timeout after " + timeout.toMillis() + "ms";
		}
		if (error instanceof PrematureCloseException) {
			return "connection closed";
		}
		UpstreamFailure failure = UpstreamFailure.of(error);
		if (failure != null) {
			return failure.describe(error);
		}
		String message = error.getMessage();
		return error.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}

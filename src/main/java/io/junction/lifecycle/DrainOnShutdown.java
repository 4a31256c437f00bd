package io.junction.lifecycle;

import io.junction.Durations;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * The first thing to stop when Junction is asked to: readiness goes down, so the ELB's
 * check starts failing, while Junction keeps serving new and in-flight requests for the
 * drain delay. Only then does Spring Boot's graceful shutdown stop accepting connections
 * and wait for what is still in flight.
 */
final class DrainOnShutdown implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DrainOnShutdown.class);

	private final ApplicationEventPublisher publisher;

	private final InFlightRequests inFlight;

	private final Duration drainDelay;

	private final CountDownLatch neverReleased = new CountDownLatch(1);

	private volatile boolean running;

	DrainOnShutdown(ApplicationEventPublisher publisher, InFlightRequests inFlight, Duration drainDelay) {
		this.publisher = publisher;
		this.inFlight = inFlight;
		this.drainDelay = drainDelay;
	}

	/** Stopped before every other phase, the web server's graceful shutdown included. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.REFUSING_TRAFFIC);
		this.inFlight.startDraining();
		logger.info("draining: readiness down, serving for " + Durations.readable(this.drainDelay) + " ("
				+ this.inFlight.count() + " requests in flight)");
		awaitDrainDelay();
		logger.info("drained: " + this.inFlight.count() + " requests in flight, stopping");
	}

	private void awaitDrainDelay() {
		try {
			// Nothing releases the latch: this waits out the delay, unless interrupted.
			this.neverReleased.await(this.drainDelay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}

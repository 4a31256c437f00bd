package io.junction.accesslog;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.beans.factory.DisposableBean;

/**
 * Writes access-log lines on a thread of its own, so that a slow console or disk never
 * holds up the event loop. Requests hand their entries over through a bounded, lock-free
 * queue; when it is full, the entry is dropped and counted, never waited for.
 */
final class AccessLogWriter implements DisposableBean {

	/** The logger of the access-log lines, for operators to route or silence. */
	static final String LOGGER_NAME = "junction.access";

	private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(AccessLogWriter.class);

	private final Logger accessLogger = LoggerFactory.getLogger(LOGGER_NAME);

	private final Queue<AccessLogEntry> queue = new ConcurrentLinkedQueue<>();

	// The queue's size, kept apart: ConcurrentLinkedQueue.size() walks the whole queue.
	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicLong dropped = new AtomicLong();

	private final int capacity;

	private final boolean keyValues;

	private final Thread thread;

	private final StringBuilder line = new StringBuilder(256);

	private volatile boolean running = true;

	private volatile boolean idle;

	AccessLogWriter(int capacity, boolean keyValues) {
		this.capacity = capacity;
		this.keyValues = keyValues;
		this.thread = new Thread(this::run, "junction-access-log");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Hands a finished request over to the writer; never blocks. */
	void offer(AccessLogEntry entry) {
		if (this.queued.incrementAndGet() > this.capacity) {
			this.queued.decrementAndGet();
			this.dropped.incrementAndGet();
			return;
		}
		this.queue.offer(entry);
		if (this.idle) {
			LockSupport.unpark(this.thread);
		}
	}

	/** Lines dropped because the queue was full. */
	long dropped() {
		return this.dropped.get();
	}

	private void run() {
		long reportedDrops = 0;
		while (true) {
			AccessLogEntry entry = this.queue.poll();
			if (entry != null) {
				this.queued.decrementAndGet();
				write(entry);
				continue;
			}
			if (!this.running) {
				return;
			}
			long drops = this.dropped.get();
			if (drops != reportedDrops) {
				logger.warn("access log: " + (drops - reportedDrops) + " lines dropped, the queue of " + this.capacity
						+ " was full");
				reportedDrops = drops;
			}
			this.idle = true;
			// Checked again after idle is set, so that an offer in between is not missed.
			if (this.queue.isEmpty() && this.running) {
				LockSupport.parkNanos(this, IDLE_PARK_NANOS);
			}
			this.idle = false;
		}
	}

	private void write(AccessLogEntry entry) {
		try {
			if (!this.accessLogger.isInfoEnabled()) {
				return;
			}
			this.line.setLength(0);
			entry.appendPlain(this.line);
			if (!this.keyValues) {
				this.accessLogger.info(this.line.toString());
				return;
			}
			LoggingEventBuilder event = this.accessLogger.atInfo().setMessage(this.line.toString());
			entry.addKeyValues(event);
			event.log();
		}
		catch (RuntimeException ex) {
			// One bad line must not stop the writer, or every later line would be lost.
			logger.warn("access log: could not write a line", ex);
		}
	}

	/** Writes what is queued, then stops the thread. */
	@Override
	public void destroy() throws InterruptedException {
		this.running = false;
		LockSupport.unpark(this.thread);
		this.thread.join(STOP_TIMEOUT.toMillis());
	}

}

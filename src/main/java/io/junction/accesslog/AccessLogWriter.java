package io.junction.accesslog;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * Writes access-log lines on a thread of its own, so that a slow console or disk never
 * holds up the event loop. Requests hand their entries over through a bounded, lock-free
 * queue; when it is full, the entry is dropped and counted, never waited for.
 */
final class AccessLogWriter implements DisposableBean {

	private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(AccessLogWriter.class);

	private final Queue<AccessLogEntry> queue = new ConcurrentLinkedQueue<>();

	// The queue's size, kept apart: ConcurrentLinkedQueue.size() walks the whole queue.
	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicLong dropped = new AtomicLong();

	private final int capacity;

	private final Consumer<AccessLogEntry> lines;

	private final Thread thread;

	private volatile boolean running = true;

	private volatile boolean idle;

	/**
	 * Starts the writer thread.
	 * @param capacity most entries waiting to be written
	 * @param lines writes one entry, only ever on the writer thread
	 */
	AccessLogWriter(int capacity, Consumer<AccessLogEntry> lines) {
		this.capacity = capacity;
		this.lines = lines;
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
			this.lines.accept(entry);
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

package io.junction;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent real client load: each of {@code clients} threads sends GET requests one
 * after another until stopped or until the bound on requests is reached. Every request
 * that does not end in 200 is kept as a failure with when it started.
 */
public final class Load implements AutoCloseable {

	/** At most this many requests per load, so a test stays bounded whatever happens. */
	private static final long MAX_REQUESTS = 200_000;

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final URI uri;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong succeeded = new AtomicLong();

	private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();

	private final CountDownLatch firstAnswers;

	private volatile boolean running = true;

	private Load(URI uri, int clients) {
		this.uri = uri;
		this.firstAnswers = new CountDownLatch(clients);
		for (int i = 0; i < clients; i++) {
			Thread thread = new Thread(this::run, "load-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
		}
	}

	/**
	 * Starts {@code clients} concurrent clients and waits until each has had an answer.
	 */
	public static Load start(URI uri, int clients) throws InterruptedException {
		Load load = new Load(uri, clients);
		load.threads.forEach(Thread::start);
		if (!load.firstAnswers.await(10, TimeUnit.SECONDS)) {
			load.close();
			throw new AssertionError("load did not get going against " + uri);
		}
		return load;
	}

	private void run() {
		HttpRequest request = HttpRequest.newBuilder(this.uri).timeout(Duration.ofSeconds(10)).GET().build();
		boolean first = true;
		while (this.running && this.sent.incrementAndGet() <= MAX_REQUESTS) {
			long started = System.nanoTime();
			try {
				HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					this.succeeded.incrementAndGet();
				}
				else {
					this.failures.add(new Failure(started, "HTTP " + response.statusCode() + ": " + response.body()));
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (Exception ex) {
				this.failures.add(new Failure(started, ex.toString()));
			}
			if (first) {
				first = false;
				this.firstAnswers.countDown();
			}
		}
	}

	public long succeeded() {
		return this.succeeded.get();
	}

	public List<Failure> failures() {
		return List.copyOf(this.failures);
	}

	/** Failures of requests started at or after {@code nanoTime}. */
	public List<Failure> failuresSince(long nanoTime) {
		return this.failures.stream().filter((failure) -> failure.startedNanos() - nanoTime >= 0).toList();
	}

	/** Waits until {@code more} further requests have succeeded. */
	public void awaitSucceeded(long more) {
		long target = this.succeeded.get() + more;
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> this.succeeded.get() >= target);
	}

	/** Stops every client and waits for their last requests to end. */
	@Override
	public void close() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join(15_000);
		}
	}

	/**
	 * A request that did not end in 200.
	 *
	 * @param startedNanos when it was sent, as a nanoTime
	 * @param what what the client got instead
	 */
	public record Failure(long startedNanos, String what) {
	}

}

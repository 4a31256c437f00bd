package io.junction.accesslog;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The writer never makes a request wait: a full queue drops and counts. */
class AccessLogWriterTests {

	@Test
	void fullQueueDropsAndCountsInsteadOfWaitingForASlowLog() throws InterruptedException {
		CountDownLatch slowLogReleased = new CountDownLatch(1);
		List<AccessLogEntry> written = new CopyOnWriteArrayList<>();
		List<AccessLogEntry> started = new CopyOnWriteArrayList<>();
		AccessLogWriter writer = new AccessLogWriter(2, (entry) -> {
			started.add(entry);
			try {
				slowLogReleased.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			written.add(entry);
		});
		try {
			AccessLogEntry stuck = entry();
			writer.offer(stuck);
			await().atMost(Duration.ofSeconds(5)).until(() -> started.contains(stuck));

			List<AccessLogEntry> offered = List.of(entry(), entry(), entry(), entry(), entry());
			assertTimeoutPreemptively(Duration.ofSeconds(1), () -> offered.forEach(writer::offer));

			assertThat(writer.dropped()).isEqualTo(3);
			slowLogReleased.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> written.size() == 3);
			assertThat(written).containsExactly(stuck, offered.get(0), offered.get(1));
		}
		finally {
			slowLogReleased.countDown();
			writer.destroy();
		}
	}

	@Test
	void stoppingWritesWhatIsQueued() throws InterruptedException {
		List<AccessLogEntry> written = new CopyOnWriteArrayList<>();
		AccessLogWriter writer = new AccessLogWriter(100, written::add);
		List<AccessLogEntry> offered = List.of(entry(), entry(), entry());
		offered.forEach(writer::offer);
		writer.destroy();
		assertThat(written).containsExactlyElementsOf(offered);
	}

	private static AccessLogEntry entry() {
		return new AccessLogEntry(System.nanoTime(), MockServerHttpRequest.get("/").build());
	}

}

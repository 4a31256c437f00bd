package io.junction.observability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Refusals are all counted, by status, and logged at most once every ten seconds. */
@ExtendWith(OutputCaptureExtension.class)
class RefusedRequestsTests {

	private final AtomicLong now = new AtomicLong(1_000);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final RefusedRequests refusals = new RefusedRequests(this.registry, this.now::get);

	@Test
	void everyStatusHasItsCounterBeforeAnyRefusal() {
		for (int status : RefusedRequests.STATUSES) {
			assertThat(count(status)).isZero();
		}
	}

	@Test
	void eachRefusalIsCountedUnderItsStatus() {
		this.refusals.refused(400, "a", null);
		this.refusals.refused(400, "b", null);
		this.refusals.refused(431, "c", null);
		assertThat(count(400)).isEqualTo(2);
		assertThat(count(431)).isEqualTo(1);
		assertThat(count(408)).isZero();
	}

	@Test
	void aBurstOfRefusalsIsOneLineThenOneWithTheCountOfTheRest(CapturedOutput output) {
		assertThat(this.refusals.refused(400, "a dot segment (. or ..) in the path", "127.0.0.1:5000")).isTrue();
		for (int i = 0; i < 5; i++) {
			this.now.addAndGet(Duration.ofSeconds(1).toNanos());
			assertThat(this.refusals.refused(400, "no Host header", "127.0.0.1:5001")).isFalse();
		}
		this.now.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(this.refusals.refused(408, "request head not received within 10000 ms", "127.0.0.1:5002")).isTrue();
		assertThat(output.getOut())
			.contains("Refused a request from 127.0.0.1:5000 with 400: a dot segment (. or ..) in the path (")
			.contains("Refused a request from 127.0.0.1:5002 with 408: request head not received within 10000 ms; "
					+ "5 other refusals since the last line")
			.doesNotContain("no Host header");
		assertThat(count(400)).isEqualTo(6);
	}

	private double count(int status) {
		return this.registry.get("junction.refused.requests").tag("status", Integer.toString(status)).counter().count();
	}

}

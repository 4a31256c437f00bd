package io.junction.edge;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyProtocolRefusalsTests {

	private final AtomicLong now = new AtomicLong();

	private final ProxyProtocolRefusals refusals = new ProxyProtocolRefusals(this.now::get);

	@Test
	void sourceIsLoggedOnceInTenSeconds() {
		assertThat(this.refusals.refused("10.0.0.5", "no PROXY protocol header")).isTrue();
		advance(Duration.ofSeconds(9));
		assertThat(this.refusals.refused("10.0.0.5", "no PROXY protocol header")).isFalse();
		assertThat(this.refusals.refused("10.0.0.6", "no PROXY protocol header")).isTrue();
		advance(Duration.ofSeconds(1));
		assertThat(this.refusals.refused("10.0.0.5", "no PROXY protocol header")).isTrue();
	}

	@Test
	void manySourcesAreForgottenOldestFirstSoMemoryStaysBounded() {
		assertThat(this.refusals.refused("10.0.0.1", "no PROXY protocol header")).isTrue();
		for (int i = 0; i < ProxyProtocolRefusals.SOURCES; i++) {
			this.refusals.refused("10.1." + (i / 256) + "." + (i % 256), "no PROXY protocol header");
		}
		// Forgotten, so logged again although ten seconds have not passed.
		assertThat(this.refusals.refused("10.0.0.1", "no PROXY protocol header")).isTrue();
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

}

package io.junction.training;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The image's training run serves real requests through the demo's routes and ends. */
class TrainCommandTests {

	@Test
	void trainingSendsEveryRequestThroughTheDemosRoutesAndEnds() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int status = TrainCommand.run(List.of("--requests=700"), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));

		assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
		assertThat(out.toString(StandardCharsets.UTF_8)).contains("trained: 700 requests in").contains(", 0 failed");
	}

}

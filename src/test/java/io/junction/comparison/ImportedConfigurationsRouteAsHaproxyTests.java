package io.junction.comparison;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.junction.Haproxy;
import io.junction.haproxy.ImportHaproxyCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The migration end to end: each haproxy.cfg of the tests imported with
 * {@code import-haproxy}, then run by the real HAProxy and the import by Junction, on the
 * requests written by hand for it and 300 generated from its ACLs: every request goes to
 * the same backend with the same path. Skipped without {@code haproxy} on the PATH; CI
 * installs it and checks that these tests ran.
 */
class ImportedConfigurationsRouteAsHaproxyTests {

	@TempDir
	Path directory;

	@BeforeAll
	static void haproxyIsInstalled() {
		assumeTrue(Haproxy.isInstalled(), "haproxy is not on the PATH (apt-get install haproxy); .ci/run installs it");
	}

	@ParameterizedTest(name = "{0}.cfg")
	@ValueSource(strings = { "seed", "hosts", "conditions", "defaults", "pools", "rewrites" })
	void anImportedConfigurationRoutesEveryRequestAsHaproxyDoes(String name) {
		String cfg = "src/test/resources/haproxy/" + name + ".cfg";
		Path imported = this.directory.resolve(name + ".yml");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int importStatus = ImportHaproxyCommand.run(List.of(cfg, "-o", imported.toString()), print(out), print(err));
		assertThat(importStatus).as(text(err)).isEqualTo(ImportHaproxyCommand.OK);

		// The requests written by hand for the file, and 300 made from its ACLs.
		String requests = "src/test/resources/haproxy/" + name + "-requests.txt";
		int compareStatus = CompareHaproxyCommand.run(
				List.of(cfg, imported.toString(), "--requests", requests, "--generate", "300"), print(out), print(err));
		assertThat(text(out)).containsPattern("\\d{3} requests: \\d{3} same, 0 different, 0 by");
		assertThat(compareStatus).as(text(out) + text(err)).isEqualTo(CompareHaproxyCommand.SAME);
	}

	private static PrintStream print(ByteArrayOutputStream bytes) {
		return new PrintStream(bytes, true, StandardCharsets.UTF_8);
	}

	private static String text(ByteArrayOutputStream bytes) {
		return bytes.toString(StandardCharsets.UTF_8);
	}

}

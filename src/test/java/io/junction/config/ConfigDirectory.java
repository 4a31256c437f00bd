package io.junction.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory holding Junction's configuration file, changed the ways real deployments
 * change it: an editor's write to a temporary file renamed over the old one, or a
 * Kubernetes ConfigMap volume's swap of its {@code ..data} symlink.
 */
final class ConfigDirectory {

	private final Path directory;

	private final String fileName;

	private final AtomicInteger generation = new AtomicInteger();

	private ConfigDirectory(Path directory, String fileName) {
		this.directory = directory;
		this.fileName = fileName;
	}

	/** A directory whose file is replaced by rename, as editors and most tools do. */
	static ConfigDirectory plain(Path directory, String fileName) {
		return new ConfigDirectory(directory, fileName);
	}

	/**
	 * A directory laid out as the kubelet lays out a ConfigMap volume:
	 * {@code junction.yml -> ..data/junction.yml}, {@code ..data -> ..<timestamp>}.
	 */
	static ConfigDirectory configMap(Path directory, String fileName, List<String> lines) {
		ConfigDirectory configMap = new ConfigDirectory(directory, fileName);
		try {
			Path first = configMap.newGeneration(lines);
			Files.createSymbolicLink(directory.resolve("..data"), first.getFileName());
			Files.createSymbolicLink(configMap.file(), Path.of("..data").resolve(fileName));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return configMap;
	}

	/** The configuration file, as Junction is told of it. */
	Path file() {
		return this.directory.resolve(this.fileName);
	}

	/** {@code spring.config.additional-location} for the file, as a test property. */
	String location() {
		return "spring.config.additional-location=file:" + file();
	}

	/** Writes the file to a temporary one beside it, then renames that over it. */
	void renameOver(List<String> lines) {
		try {
			Path temporary = this.directory.resolve("." + this.fileName + ".tmp");
			Files.write(temporary, lines);
			Files.move(temporary, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Updates a ConfigMap volume as the kubelet does: the new files in a new directory, a
	 * new {@code ..data} symlink renamed over the old one, the old directory deleted.
	 */
	void swapConfigMap(List<String> lines) {
		try {
			Path data = this.directory.resolve("..data");
			Path old = this.directory.resolve(Files.readSymbolicLink(data));
			Path next = newGeneration(lines);
			Path link = this.directory.resolve("..data_tmp");
			Files.createSymbolicLink(link, next.getFileName());
			Files.move(link, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			Files.delete(old.resolve(this.fileName));
			Files.delete(old);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Path newGeneration(List<String> lines) throws IOException {
		Path generation = Files
			.createDirectory(this.directory.resolve("..2026_12_05_" + this.generation.incrementAndGet()));
		Files.write(generation.resolve(this.fileName), lines);
		return generation;
	}

}

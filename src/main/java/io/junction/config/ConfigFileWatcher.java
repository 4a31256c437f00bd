package io.junction.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Watches the directories of the configuration files and has the reloader look at them
 * after any change there, and every {@code junction.reload.interval} in case no event
 * comes. Directories rather than files: a Kubernetes ConfigMap is updated by swapping a
 * {@code ..data} symlink beside the files, and editors write a new file and rename it
 * over the old one, and neither changes the file that was watched.
 */
final class ConfigFileWatcher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ConfigFileWatcher.class);

	// Events come in bursts (a ConfigMap update is several renames): wait for the
	// burst to end before reading.
	private static final Duration SETTLE = Duration.ofMillis(100);

	private final ConfigurationReloader reloader;

	private final boolean enabled;

	private final Duration interval;

	private final Map<Path, WatchKey> watched = new HashMap<>();

	private @Nullable WatchService watchService;

	private @Nullable Thread thread;

	private volatile boolean running;

	ConfigFileWatcher(ConfigurationReloader reloader, boolean enabled, Duration interval) {
		this.reloader = reloader;
		this.enabled = enabled;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (!this.enabled) {
			logger.info("Configuration files are not watched (" + ReloadProperties.PREFIX + ".enabled=false)");
			return;
		}
		try {
			this.watchService = FileSystems.getDefault().newWatchService();
		}
		catch (IOException ex) {
			logger.warn("No file-system events (" + ex.getMessage() + "): the configuration files are read every "
					+ this.interval);
		}
		this.running = true;
		Thread watcher = new Thread(this::run, "junction-config-watch");
		watcher.setDaemon(true);
		this.thread = watcher;
		watcher.start();
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		Thread watcher = this.thread;
		if (watcher != null) {
			watcher.interrupt();
		}
		if (this.watchService != null) {
			try {
				this.watchService.close();
			}
			catch (IOException ex) {
				// Closing: nothing to do.
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void run() {
		while (this.running) {
			try {
				watch(this.reloader.files());
				awaitChange();
				this.reloader.reloadIfChanged();
			}
			catch (InterruptedException | ClosedWatchServiceException ex) {
				return;
			}
			catch (RuntimeException ex) {
				// A reload never throws on a bad file; anything else must not end the
				// watch.
				logger.error("Configuration reload failed", ex);
			}
		}
	}

	// Returns after an event and its burst, or after the interval without one.
	private void awaitChange() throws InterruptedException {
		WatchService events = this.watchService;
		if (events == null) {
			Thread.sleep(this.interval.toMillis());
			return;
		}
		WatchKey key = events.poll(this.interval.toMillis(), TimeUnit.MILLISECONDS);
		while (key != null) {
			key.pollEvents();
			key.reset();
			key = events.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	// Registers the directories of the files, and only those.
	private void watch(List<Path> files) {
		WatchService events = this.watchService;
		if (events == null) {
			return;
		}
		Set<Path> directories = new LinkedHashSet<>();
		for (Path file : files) {
			Path directory = file.getParent();
			if (directory != null) {
				directories.add(directory);
			}
		}
		this.watched.entrySet().removeIf((entry) -> {
			if (!directories.contains(entry.getKey()) || !entry.getValue().isValid()) {
				entry.getValue().cancel();
				return true;
			}
			return false;
		});
		for (Path directory : directories) {
			if (!this.watched.containsKey(directory)) {
				try {
					this.watched.put(directory, directory.register(events, StandardWatchEventKinds.ENTRY_CREATE,
							StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
				}
				catch (IOException ex) {
					logger.warn("Cannot watch " + directory + " (" + ex.getMessage() + "): it is read every "
							+ this.interval);
				}
			}
		}
	}

}

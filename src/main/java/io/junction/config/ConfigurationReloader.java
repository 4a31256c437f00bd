package io.junction.config;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.junction.RootCause;
import io.junction.ConfigurationProblem;
import io.junction.InvalidConfigurationException;
import io.junction.pools.PoolRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;

/**
 * Applies the configuration files again when they change (HAProxy's hitless reload):
 * reads them as start-up reads them, checks them with the start-up check, and swaps in
 * the pools, then the routes. A configuration with any problem changes nothing: the one
 * in place keeps serving, and the refusal is logged on one line, counted and kept for
 * {@code /actuator/config} and health.
 *
 * <p>
 * Only routes and pools change on a reload; other keys (ports, Junction's routing and
 * access-log settings, JVM options) take effect at the next start.
 */
public final class ConfigurationReloader {

	private static final Log logger = LogFactory.getLog(ConfigurationReloader.class);

	// A file that changes while it is read is read again, at most this many times.
	private static final int READS = 3;

	private final ConfigurableEnvironment running;

	private final ResourceLoader resources;

	private final ConfigurationCheck check;

	private final PoolRegistry pools;

	private final GatewayProperties gateway;

	private final ApplicationEventPublisher events;

	private final List<Consumer<Outcome>> listeners = new CopyOnWriteArrayList<>();

	// Written under this by a reload, read without it: health and /actuator/config never
	// wait for a reload that is reading files.
	private volatile Loaded loaded;

	private volatile @Nullable Rejected lastRejected;

	// Keys of the configuration in place that differ from those Junction started with,
	// and are not reloaded.
	private volatile List<String> restartNeeded = List.of();

	// The last version tried, applied or not: a rejected file is tried once per change.
	private String lastTried;

	ConfigurationReloader(ConfigurableEnvironment running, ResourceLoader resources, ConfigurationCheck check,
			PoolRegistry pools, GatewayProperties gateway, ApplicationEventPublisher events) {
		this.running = running;
		this.resources = resources;
		this.check = check;
		this.pools = pools;
		this.gateway = gateway;
		this.events = events;
		// The files as start-up read them, found without reading them again.
		List<Path> files = ConfigFiles.filesOf(running);
		this.loaded = new Loaded(ConfigFiles.version(files), Instant.now(), files);
		this.lastTried = this.loaded.version();
	}

	/** The configuration in place now. */
	public Loaded loaded() {
		return this.loaded;
	}

	/** The last configuration refused, or null if none has been since start. */
	public @Nullable Rejected lastRejected() {
		return this.lastRejected;
	}

	/**
	 * What {@code /actuator/config} and health show: the version in place, when it was
	 * applied and from which files, and the last refusal with its problems.
	 */
	public Map<String, Object> status() {
		Map<String, Object> status = new LinkedHashMap<>();
		Loaded loaded = this.loaded;
		List<String> restartNeeded = this.restartNeeded;
		status.put("version", loaded.version());
		status.put("appliedAt", loaded.appliedAt().toString());
		status.put("files", names(loaded.files()));
		if (!restartNeeded.isEmpty()) {
			status.put("restartNeededFor", restartNeeded);
		}
		Rejected rejected = this.lastRejected;
		if (rejected != null) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("version", rejected.version());
			details.put("at", rejected.at().toString());
			details.put("files", names(rejected.files()));
			details.put("problems", rejected.problems().stream().map(ConfigurationProblem::toString).toList());
			status.put("lastRejected", details);
		}
		return status;
	}

	private static List<String> names(List<Path> files) {
		return files.stream().map(Path::toString).toList();
	}

	/** The files to watch: those the configuration in place was read from. */
	List<Path> files() {
		return this.loaded.files();
	}

	/**
	 * Applies the files if they changed since they were last tried; a refused version is
	 * not tried again until the files change again.
	 */
	public synchronized Outcome reloadIfChanged() {
		if (ConfigFiles.version(this.loaded.files()).equals(this.lastTried)) {
			return new Outcome(Result.UNCHANGED, this.loaded.version(), List.of());
		}
		return reload();
	}

	/** Reads and applies the files now, unless they are those in place. */
	public synchronized Outcome reload() {
		ConfigFiles.Read read;
		String version;
		try {
			read = readSettled();
			version = ConfigFiles.version(read.files());
		}
		catch (RuntimeException ex) {
			// Unreadable or unparsable: counts as a refusal of what the files hold now.
			String unreadable = ConfigFiles.version(this.loaded.files());
			return reject(unreadable, this.loaded.files(),
					List.of(new ConfigurationProblem(unreadableFile(ex, this.loaded.files()),
							"cannot be read: " + rootMessage(ex))));
		}
		if (version.equals(this.loaded.version())) {
			this.lastTried = version;
			return new Outcome(Result.UNCHANGED, version, List.of());
		}
		CheckedConfiguration checked = this.check.check(read.environment());
		if (!checked.isValid()) {
			return reject(version, read.files(), checked.problems());
		}
		try {
			this.pools.swap(checked.pools());
		}
		catch (InvalidConfigurationException ex) {
			return reject(version, read.files(), ex.getProblems());
		}
		// Pools first: a new route finds its pool in place, and a removed pool stays
		// reachable (io.junction.proxy.Upstreams) for the old routes until they go.
		this.gateway.setRoutes(new ArrayList<>(checked.routes()));
		this.events.publishEvent(new RefreshRoutesEvent(this));
		String previous = this.loaded.version();
		this.loaded = new Loaded(version, Instant.now(), read.files());
		this.restartNeeded = ConfigFiles.changedKeysNeedingRestart(this.running, read.environment());
		if (!this.restartNeeded.isEmpty()) {
			logger.warn("Configuration " + version + " changes keys that take effect at the next start only: "
					+ String.join(", ", this.restartNeeded));
		}
		this.lastTried = version;
		logger.info("Configuration " + version + " applied (was " + previous + "): " + checked.routes().size()
				+ " routes, " + checked.pools().getBackends().size() + " pools, " + checked.serverCount()
				+ " servers, from " + describe(read.files()));
		return told(new Outcome(Result.APPLIED, version, List.of()));
	}

	// Reads until the files are the same before and after, so that the version names
	// what was parsed.
	private ConfigFiles.Read readSettled() {
		List<Path> files = this.loaded.files();
		ConfigFiles.Read read = null;
		for (int i = 0; i < READS; i++) {
			String before = ConfigFiles.version(files);
			read = ConfigFiles.read(this.running, this.resources);
			if (Set.copyOf(read.files()).equals(Set.copyOf(files)) && ConfigFiles.version(files).equals(before)) {
				return read;
			}
			files = read.files();
		}
		return read;
	}

	private Outcome reject(String version, List<Path> files, List<ConfigurationProblem> problems) {
		this.lastTried = version;
		this.lastRejected = new Rejected(version, Instant.now(), files, problems);
		List<String> lines = problems.stream().map(ConfigurationProblem::toString).toList();
		logger.error("Configuration " + version + " rejected, " + this.loaded.version() + " still serves: "
				+ String.join("; ", lines));
		return told(new Outcome(Result.REJECTED, version, problems));
	}

	private Outcome told(Outcome outcome) {
		this.listeners.forEach((listener) -> listener.accept(outcome));
		return outcome;
	}

	/** Tells {@code listener} of every reload applied or rejected from now on. */
	public void addListener(Consumer<Outcome> listener) {
		this.listeners.add(listener);
	}

	private static String describe(List<Path> files) {
		return files.isEmpty() ? "no file" : String.join(", ", names(files));
	}

	// The file that does not parse on its own, or all of them.
	private static String unreadableFile(Throwable failure, List<Path> files) {
		Path unparsable = ConfigFiles.unparsable(files);
		return (unparsable != null) ? unparsable.toString() : describe(files);
	}

	private static String rootMessage(Throwable failure) {
		return RootCause.message(failure).replaceAll("\\s+", " ").trim();
	}

	/** What a reload did. */
	public enum Result {

		/** The new configuration is in place. */
		APPLIED,

		/** The configuration had problems; the one in place still serves. */
		REJECTED,

		/** The files hold the configuration in place, or the version already refused. */
		UNCHANGED

	}

	/**
	 * What one reload did.
	 *
	 * @param result applied, rejected or unchanged
	 * @param version the version of the files read
	 * @param problems why they were rejected, if they were
	 */
	public record Outcome(Result result, String version, List<ConfigurationProblem> problems) {
	}

	/**
	 * The configuration in place.
	 *
	 * @param version a short hash of the files' names and contents
	 * @param appliedAt when it was put in place: at start, or by a reload
	 * @param files the files it was read from
	 */
	public record Loaded(String version, Instant appliedAt, List<Path> files) {
	}

	/**
	 * A configuration refused on reload.
	 *
	 * @param version the version of the files refused
	 * @param at when
	 * @param files the files read
	 * @param problems every problem found
	 */
	public record Rejected(String version, Instant at, List<Path> files, List<ConfigurationProblem> problems) {
	}

}

package io.junction.pools;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One immutable snapshot of every configured pool by name, with the version that
 * {@link PoolRegistry} gave it. A request looks its pool up once in the snapshot that is
 * current when it arrives and keeps that pool, retries included, whatever is swapped in
 * meanwhile.
 */
public final class BackendPools {

	static final BackendPools NONE = new BackendPools(0, Map.of());

	private final long version;

	private final Map<String, Pool> pools;

	BackendPools(long version, Map<String, Pool> pools) {
		this.version = version;
		this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
	}

	/**
	 * The snapshot's version: 1 for the configuration read at start-up, then +1 per swap.
	 */
	public long version() {
		return this.version;
	}

	/** The pool of that name, or {@code null} when none is configured. */
	public @Nullable Pool get(String name) {
		return this.pools.get(name);
	}

	/** The names of all pools, in configuration order. */
	public Set<String> names() {
		return this.pools.keySet();
	}

	/** All pools, in configuration order. */
	public Collection<Pool> all() {
		return this.pools.values();
	}

}

package io.junction.edge;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs the connections the PROXY protocol refused, once per source at most every
 * {@link #QUIET} (a misconfigured load balancer refuses every connection it opens), and
 * remembers at most {@link #SOURCES} sources, so that a flood from many addresses costs
 * bounded memory.
 */
final class ProxyProtocolRefusals {

	static final Duration QUIET = Duration.ofSeconds(10);

	static final int SOURCES = 1024;

	private static final Log logger = LogFactory.getLog(ProxyProtocolRefusals.class);

	private final LongSupplier nanoClock;

	// When each source was last logged, least recently refused first.
	private final Map<String, Long> lastLogged = new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
			return size() > SOURCES;
		}

	};

	ProxyProtocolRefusals(LongSupplier nanoClock) {
		this.nanoClock = nanoClock;
	}

	/**
	 * A connection from {@code source} was closed for {@code reason}.
	 * @return whether it was logged
	 */
	boolean refused(String source, String reason) {
		long now = this.nanoClock.getAsLong();
		synchronized (this.lastLogged) {
			Long last = this.lastLogged.get(source);
			if (last != null && now - last < QUIET.toNanos()) {
				return false;
			}
			this.lastLogged.put(source, now);
		}
		logger.warn("Connection from " + source + " closed: " + reason + " (junction.proxy-protocol); "
				+ "further ones from it are not logged for " + QUIET.toSeconds() + " s");
		return true;
	}

}

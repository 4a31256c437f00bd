package io.junction.framing;

import java.time.Duration;

import io.junction.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits on the traffic port: on a request's head (HAProxy's {@code tune.bufsize},
 * {@code tune.http.maxhdr} and {@code timeout http-request}), enforced before anything
 * else reads the request, and on the client connections ({@code timeout http-keep-alive},
 * {@code maxconn}), enforced by {@code io.junction.edge}.
 */
@ConfigurationProperties(RequestLimitsProperties.PREFIX)
public class RequestLimitsProperties {

	/** Prefix of the request limit properties. */
	public static final String PREFIX = "junction.limits";

	// Below what Netty's decoder is given in application.yml (1MB), so that these limits
	// are the ones that answer.
	private static final DataSize MAXIMUM = DataSize.ofKilobytes(1000);

	/** Longest request line (method, target, version); longer ones get 414. */
	private DataSize maxRequestLine = DataSize.ofKilobytes(8);

	/** Most bytes of header lines in a request's head; more get 431. */
	private DataSize maxHeaderSize = DataSize.ofKilobytes(16);

	/** Most header lines in a request's head; more get 431. */
	private int maxHeaderCount = 100;

	/**
	 * Longest time from a request head's first bytes to its end; a slower one gets 408
	 * and a closed connection.
	 */
	private Duration requestHeadTimeout = Duration.ofSeconds(10);

	/**
	 * How long a client's kept-alive connection may sit idle between requests (and before
	 * its first) before Junction closes it; time waiting for a server or sending a
	 * response does not count. HAProxy's timeout http-keep-alive, or timeout client.
	 * Default 75s: longer than the idle timeout of the load balancer in front (60 s for
	 * an AWS ELB or ALB), so that the load balancer closes idle connections, not
	 * Junction; otherwise it may send a request on a connection Junction is closing and
	 * answer its client 502. Wins over server.netty.idle-timeout.
	 */
	private Duration idleTimeout = Duration.ofSeconds(75);

	/**
	 * Most client connections open on the traffic port at once; beyond them, new
	 * connections wait in the kernel's accept backlog until one closes. HAProxy's maxconn
	 * (global or frontend). Default 10000; each idle connection costs a few KiB.
	 */
	private int maxConnections = 10_000;

	public DataSize getMaxRequestLine() {
		return this.maxRequestLine;
	}

	public void setMaxRequestLine(DataSize maxRequestLine) {
		this.maxRequestLine = atLeast("max-request-line", maxRequestLine, 64);
	}

	public DataSize getMaxHeaderSize() {
		return this.maxHeaderSize;
	}

	public void setMaxHeaderSize(DataSize maxHeaderSize) {
		this.maxHeaderSize = atLeast("max-header-size", maxHeaderSize, 256);
	}

	public int getMaxHeaderCount() {
		return this.maxHeaderCount;
	}

	public void setMaxHeaderCount(int maxHeaderCount) {
		if (maxHeaderCount < 1 || maxHeaderCount > 10_000) {
			throw new InvalidConfigurationException(PREFIX + ".max-header-count",
					maxHeaderCount + " must be between 1 and 10000");
		}
		this.maxHeaderCount = maxHeaderCount;
	}

	public Duration getRequestHeadTimeout() {
		return this.requestHeadTimeout;
	}

	public void setRequestHeadTimeout(Duration requestHeadTimeout) {
		if (requestHeadTimeout.toMillis() < 1 || requestHeadTimeout.compareTo(Duration.ofHours(1)) > 0) {
			throw new InvalidConfigurationException(PREFIX + ".request-head-timeout",
					requestHeadTimeout + " must be between 1ms and 1h");
		}
		this.requestHeadTimeout = requestHeadTimeout;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		if (idleTimeout.toMillis() < 1 || idleTimeout.compareTo(Duration.ofDays(1)) > 0) {
			throw new InvalidConfigurationException(PREFIX + ".idle-timeout",
					idleTimeout + " must be between 1ms and 1d");
		}
		this.idleTimeout = idleTimeout;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		if (maxConnections < 1 || maxConnections > 1_000_000) {
			throw new InvalidConfigurationException(PREFIX + ".max-connections",
					maxConnections + " must be between 1 and 1000000");
		}
		this.maxConnections = maxConnections;
	}

	private static DataSize atLeast(String key, DataSize size, long minimum) {
		if (size.toBytes() < minimum || size.toBytes() > MAXIMUM.toBytes()) {
			throw new InvalidConfigurationException(PREFIX + "." + key,
					size + " must be between " + minimum + "B and " + MAXIMUM);
		}
		return size;
	}

}

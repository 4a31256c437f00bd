package io.junction.framing;

import java.time.Duration;

import io.junction.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits on a request's head (HAProxy's {@code tune.bufsize}, {@code tune.http.maxhdr}
 * and {@code timeout http-request}), enforced on the traffic port before anything else
 * reads the request.
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

	private static DataSize atLeast(String key, DataSize size, long minimum) {
		if (size.toBytes() < minimum || size.toBytes() > MAXIMUM.toBytes()) {
			throw new InvalidConfigurationException(PREFIX + "." + key,
					size + " must be between " + minimum + "B and " + MAXIMUM);
		}
		return size;
	}

}

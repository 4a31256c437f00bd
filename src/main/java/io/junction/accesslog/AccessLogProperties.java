package io.junction.accesslog;

import io.junction.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The access log (HAProxy {@code option httplog}): one line per request, written under
 * the logger {@code junction.access}.
 */
@ConfigurationProperties(AccessLogProperties.PREFIX)
public class AccessLogProperties {

	/** Prefix of the access-log properties. */
	public static final String PREFIX = "junction.access-log";

	/**
	 * Whether every request on the traffic port is logged (HAProxy {@code log} with
	 * {@code option httplog}). Off by default, since it costs throughput; when off,
	 * nothing of the access log is on the request path. Default false.
	 */
	private boolean enabled;

	/**
	 * How a line is written: {@code plain} writes the fields in one line of text;
	 * {@code json} also attaches every field as a key-value pair of the logging event,
	 * which Spring Boot's structured logging ({@code logging.structured.format.console}:
	 * {@code logstash}, {@code ecs}) writes as separate JSON keys. Default plain.
	 */
	private Format format = Format.PLAIN;

	/**
	 * Most lines waiting for the writer thread. A line that finds the queue full is
	 * dropped and counted ({@code junction_access_log_dropped_total}) rather than slow
	 * the request down. Default 10000.
	 */
	private int queueCapacity = 10_000;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Format getFormat() {
		return this.format;
	}

	public void setFormat(Format format) {
		this.format = format;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		if (queueCapacity < 1) {
			throw new InvalidConfigurationException(PREFIX + ".queue-capacity", queueCapacity + " must be 1 or more");
		}
		this.queueCapacity = queueCapacity;
	}

	/** How an access-log line is written. */
	public enum Format {

		/** One line of text, fields in a fixed order. */
		PLAIN,

		/** The same line, plus every field as a key-value pair for structured logging. */
		JSON

	}

}

package io.junction.accesslog;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Turns an entry into its line and logs it under {@code junction.access}, with every
 * field as a key-value pair too in the JSON format. Used by the writer thread alone, so
 * its buffer is reused without locking.
 */
final class AccessLogLines implements Consumer<AccessLogEntry> {

	/** The logger of the access-log lines, for operators to route or silence. */
	static final String LOGGER_NAME = "junction.access";

	private final Logger logger = LoggerFactory.getLogger(LOGGER_NAME);

	private final boolean keyValues;

	private final StringBuilder line = new StringBuilder(256);

	AccessLogLines(boolean keyValues) {
		this.keyValues = keyValues;
	}

	@Override
	public void accept(AccessLogEntry entry) {
		if (!this.logger.isInfoEnabled()) {
			return;
		}
		this.line.setLength(0);
		entry.appendPlain(this.line);
		if (!this.keyValues) {
			this.logger.info(this.line.toString());
			return;
		}
		LoggingEventBuilder event = this.logger.atInfo().setMessage(this.line.toString());
		entry.addKeyValues(event);
		event.log();
	}

}

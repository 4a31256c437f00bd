package io.junction.framing;

/**
 * A server's response that {@link StrictResponseFraming} refused: its framing could be
 * read two ways, or it is not HTTP/1.x at all. The connection it came on is closed.
 */
public final class BadResponseFramingException extends RuntimeException {

	/** A refusal, for {@code reason}: what was wrong, in a few words. */
	public BadResponseFramingException(String reason) {
		// Raised for a server's bytes, not a bug of Junction's: no stack trace to fill.
		super(reason, null, false, false);
	}

}

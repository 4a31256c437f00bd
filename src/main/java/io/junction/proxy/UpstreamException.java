package io.junction.proxy;

import org.jspecify.annotations.Nullable;

/**
 * The end of a request that no server answered: what failed last, on which pool.
 * Junction's error handler turns it into the failure's status and text.
 */
public final class UpstreamException extends RuntimeException {

	private final UpstreamFailure failure;

	private final String pool;

	UpstreamException(UpstreamFailure failure, String pool, @Nullable Throwable cause) {
		super(failure.reason() + " (pool " + pool + ")", cause, false, false);
		this.failure = failure;
		this.pool = pool;
	}

	public UpstreamFailure failure() {
		return this.failure;
	}

	/** The name of the pool whose server failed. */
	public String pool() {
		return this.pool;
	}

}

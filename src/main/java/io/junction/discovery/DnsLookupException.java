package io.junction.discovery;

import org.jspecify.annotations.Nullable;

/**
 * A DNS lookup that gave no addresses. The message names the name looked up and the DNS
 * servers asked; {@link #reason()} says why, so that a caller can treat a name that is
 * gone differently from a server that did not answer (as HAProxy's {@code hold nx} and
 * {@code hold timeout} do).
 */
public final class DnsLookupException extends RuntimeException {

	private final String name;

	private final Reason reason;

	/**
	 * A failed lookup.
	 * @param name the name that was looked up
	 * @param reason why it gave no addresses
	 * @param message what happened, naming the name and the DNS servers asked
	 * @param cause the resolver's own exception, if any
	 */
	public DnsLookupException(String name, Reason reason, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.name = name;
		this.reason = reason;
	}

	/**
	 * The name that was looked up, as the caller gave it.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Why the lookup gave no addresses.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * Why a lookup gave no addresses.
	 */
	public enum Reason {

		/**
		 * The name does not exist: the server answered NXDOMAIN.
		 */
		NO_SUCH_NAME,

		/**
		 * The name exists but has no records of the type asked for (an empty answer), or
		 * none of its SRV targets has an address. A server that refuses the query looks
		 * the same through Netty's resolver.
		 */
		NO_RECORDS,

		/**
		 * No server answered within the timeout: down, unreachable or too slow.
		 */
		TIMEOUT,

		/**
		 * Anything else: a server failure (SERVFAIL), a malformed answer, a closed
		 * lookup.
		 */
		FAILED

	}

}

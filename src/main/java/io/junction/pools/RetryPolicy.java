package io.junction.pools;

import java.util.Set;

/**
 * When a pool tries a failed request again on another server.
 *
 * @param retries how many more servers a request may be tried on
 * @param on the failures that are retried
 * @param bufferBytes largest request body kept to resend after it was sent
 */
public record RetryPolicy(int retries, Set<RetryOn> on, int bufferBytes) {

	public RetryPolicy {
		on = Set.copyOf(on);
	}

	/** A failure that may be retried, named as in HAProxy's {@code retry-on}. */
	public enum RetryOn {

		/**
		 * The connection could not be opened: nothing was sent, any method is retried.
		 */
		CONN_FAILURE("conn-failure"),
		/** The server closed or reset the connection before answering. */
		EMPTY_RESPONSE("empty-response"),
		/** The server did not answer within the response timeout. */
		RESPONSE_TIMEOUT("response-timeout"),
		/**
		 * The server's response could not be read safely: its framing is ambiguous or it
		 * is not HTTP/1.x.
		 */
		JUNK_RESPONSE("junk-response"),
		/** The server answered 502. */
		STATUS_502("502"),
		/** The server answered 503. */
		STATUS_503("503"),
		/** The server answered 504. */
		STATUS_504("504");

		private final String keyword;

		RetryOn(String keyword) {
			this.keyword = keyword;
		}

		/** The keyword as written in configuration. */
		public String keyword() {
			return this.keyword;
		}

		/** The condition a keyword names, or null if none. */
		static RetryOn fromKeyword(String keyword) {
			for (RetryOn candidate : values()) {
				if (candidate.keyword.equals(keyword)) {
					return candidate;
				}
			}
			return null;
		}

	}

}

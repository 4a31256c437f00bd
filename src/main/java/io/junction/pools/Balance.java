package io.junction.pools;

import java.util.Locale;

/**
 * How a pool picks the server of each request among its candidates: HAProxy's
 * {@code balance}. Each value is one {@code io.junction.balancing.Balancer}.
 */
public enum Balance {

	/**
	 * Smooth weighted round robin: each server in turn, as often as its weight says
	 * (HAProxy {@code balance roundrobin}).
	 */
	ROUND_ROBIN,

	/**
	 * The less loaded of two servers drawn at random by weight, load being the requests
	 * in flight to a server over its weight (HAProxy {@code balance leastconn}; Envoy's
	 * least-request with two choices). For long or uneven requests.
	 */
	LEAST_CONNECTIONS,

	/**
	 * A server drawn at random in proportion to its weight (HAProxy
	 * {@code balance random}).
	 */
	RANDOM,

	/**
	 * Consistent hashing with bounded loads on a part of the request
	 * ({@link HashSettings}): the same key reaches the same server while it may take
	 * requests, and no server holds more than its bound (HAProxy
	 * {@code balance uri|hdr|source} with {@code hash-type consistent}; Envoy's ring hash
	 * with {@code hash_balance_factor}). For caches and per-client state.
	 */
	HASH;

	/** The value as configured, such as {@code least-connections}. */
	public String keyword() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}

package io.junction.pools;

/**
 * Sees the outcome of every attempt to send a request to a server: the narrow interface
 * through which passive health checks learn of real traffic.
 */
public interface ServerObserver {

	/** The server answered with {@code status}. */
	void responded(Pool pool, PoolServer server, int status);

	/** The server could not be reached or did not answer; {@code reason} says how. */
	void failed(Pool pool, PoolServer server, String reason);

}

package io.junction.pools;

/**
 * How a pool with sticky sessions keeps its cookie: the mode of HAProxy's
 * {@code cookie <name> <mode>}. Only insert so far; HAProxy's rewrite and prefix (which
 * work on a cookie the server sets) would be more values here.
 */
public enum StickyMode {

	/**
	 * Junction sets the cookie itself, on a response whose server differs from the one
	 * the request's cookie named (or that had none), with {@code Cache-Control: private},
	 * and takes it out of the requests it sends to the servers (HAProxy
	 * {@code insert indirect nocache}).
	 */
	INSERT

}

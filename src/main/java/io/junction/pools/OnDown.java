package io.junction.pools;

/**
 * What happens to the requests in flight to a server when its checks mark it DOWN or
 * eject it: HAProxy's {@code on-marked-down shutdown-sessions}, on by default here.
 */
public enum OnDown {

	/**
	 * Cancel them at once: each is retried on another server where the retry rules allow
	 * it, and otherwise answered 502.
	 */
	CANCEL,

	/** Let them wait for their answer or their timeout. */
	WAIT

}

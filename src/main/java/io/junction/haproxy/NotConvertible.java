package io.junction.haproxy;

/** A line, or part of one, that has no Junction equivalent; the message says why. */
class NotConvertible extends Exception {

	NotConvertible(String reason) {
		super(reason, null, false, false);
	}

}

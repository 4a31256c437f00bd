package io.junction.pools;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What the operator lets a server do, whatever its health: HAProxy's
 * {@code set server <backend>/<server> state ready|drain|maint}. Set at run time only; a
 * restart of Junction puts every server back to {@link #READY}.
 */
public enum AdminState {

	/** In rotation while its health allows it. */
	READY,

	/**
	 * Out of rotation for new requests; requests in flight finish, and its health checks
	 * go on, so its UP/DOWN state stays known.
	 */
	DRAIN,

	/** Out of rotation and not checked at all: no check traffic reaches it. */
	MAINT;

	/** The state named {@code name} in any case, or null if there is none. */
	public static @Nullable AdminState fromName(String name) {
		try {
			return valueOf(name.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}

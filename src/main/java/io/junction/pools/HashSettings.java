package io.junction.pools;

import java.util.Locale;

import io.junction.InvalidConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * What a pool with {@code balance: hash} hashes, and how far its bounded loads let one
 * server go above its share.
 *
 * @param on the part of the request hashed
 * @param name the header's or cookie's name, for {@link On#HEADER} and {@link On#COOKIE};
 * else null
 * @param factor the most requests in flight a server may hold, as a multiple of its
 * weighted share of them all
 */
public record HashSettings(On on, @Nullable String name, double factor) {

	/** The part of the request hashed (HAProxy's {@code balance uri|hdr|source}). */
	public enum On {

		/**
		 * The path the server receives, without the query (HAProxy {@code balance uri}).
		 */
		PATH,
		/** One request header's value (HAProxy {@code balance hdr(<name>)}). */
		HEADER,
		/** One cookie's value (HAProxy {@code balance rdp-cookie}, for any cookie). */
		COOKIE,
		/**
		 * The client's address, behind trusted proxies the one they name (HAProxy
		 * {@code balance source}).
		 */
		CLIENT_ADDRESS

	}

	/**
	 * Reads {@code hash-on} ({@code path}, {@code header:<name>}, {@code cookie:<name>}
	 * or {@code client-address}) and {@code hash-balance-factor}.
	 * @param key the pool's key, {@code junction.backends.<name>}
	 * @throws InvalidConfigurationException naming the bad key
	 */
	static HashSettings of(String key, String hashOn, double factor) {
		if (!(factor >= 1.0 && factor <= 100.0)) {
			throw new InvalidConfigurationException(key + ".hash-balance-factor",
					factor + " must be between 1.0 and 100 (1.25 lets a server hold a quarter more than its share)");
		}
		String value = hashOn.trim();
		int colon = value.indexOf(':');
		String kind = ((colon < 0) ? value : value.substring(0, colon)).toLowerCase(Locale.ROOT);
		String name = (colon < 0) ? "" : value.substring(colon + 1).trim();
		On on = switch (kind) {
			case "path" -> On.PATH;
			case "header" -> On.HEADER;
			case "cookie" -> On.COOKIE;
			case "client-address" -> On.CLIENT_ADDRESS;
			default -> null;
		};
		boolean named = on == On.HEADER || on == On.COOKIE;
		if (on == null || named == name.isEmpty() || (!named && colon >= 0)) {
			throw new InvalidConfigurationException(key + ".hash-on",
					"'" + hashOn + "' is not one of path, header:<name>, cookie:<name>, client-address");
		}
		return new HashSettings(on, named ? name : null, factor);
	}

	/** As configured, such as {@code header:X-User}. */
	@Override
	public String toString() {
		String on = this.on.name().toLowerCase(Locale.ROOT).replace('_', '-');
		return (this.name != null) ? on + ":" + this.name : on;
	}

}

package io.junction.pools;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.junction.InvalidConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * Sticky sessions of a pool (HAProxy {@code cookie <name> insert indirect nocache}): the
 * cookie that names a client's server, by the server's {@link PoolServer#stickyToken()
 * token}.
 *
 * @param cookie the cookie's name, or null when the pool has no sticky sessions
 * @param mode how the cookie is kept
 */
public record StickySettings(@Nullable String cookie, StickyMode mode) {

	/** No sticky sessions, the default. */
	public static final StickySettings OFF = new StickySettings(null, StickyMode.INSERT);

	// Bytes of the digest kept in a token: 64 bits, so two servers of a pool never meet.
	private static final int TOKEN_BYTES = 8;

	/** Whether the pool has sticky sessions. */
	public boolean enabled() {
		return this.cookie != null;
	}

	/**
	 * Reads {@code sticky.cookie} and {@code sticky.mode}.
	 * @param key the pool's key, {@code junction.backends.<name>}
	 * @throws InvalidConfigurationException naming the bad key
	 */
	static StickySettings of(String key, PoolsProperties.Sticky sticky) {
		String cookie = sticky.getCookie();
		if (cookie == null) {
			return new StickySettings(null, sticky.getMode());
		}
		if (!isToken(cookie)) {
			throw new InvalidConfigurationException(key + ".sticky.cookie",
					"'" + cookie + "' is not a cookie name (letters, digits and !#$%&'*+-.^_`|~), such as SRV");
		}
		return new StickySettings(cookie, sticky.getMode());
	}

	/**
	 * The token that names server {@code server} of pool {@code pool} in a sticky cookie:
	 * hex of the first 64 bits of a SHA-256 of both names. It depends on the names only,
	 * so that every replica and every restart gives the same token, and it does not show
	 * the server's address or name.
	 */
	static String token(String pool, String server) {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform has SHA-256.
			throw new IllegalStateException(ex);
		}
		// The separator cannot occur in a pool name, so that no two pairs of names give
		// the same input.
		byte[] hashed = digest.digest(("junction-sticky/" + pool + "/" + server).getBytes(StandardCharsets.UTF_8));
		return HexFormat.of().formatHex(hashed, 0, TOKEN_BYTES);
	}

	// RFC 6265's cookie-name: an RFC 2616 token.
	private static boolean isToken(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
			if (!ok) {
				return false;
			}
		}
		return true;
	}

}

package io.junction.proxy;

import java.util.List;

import io.junction.pools.PoolServer;
import io.junction.pools.StickySettings;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The sticky cookie of one request to a pool with sticky sessions (HAProxy
 * {@code cookie <name> insert indirect nocache}), read once before its first try: the
 * server it names, its removal from the Cookie header sent to the servers
 * ({@code indirect}), and the Set-Cookie of a response whose server it did not name.
 */
final class StickyCookie {

	private final String name;

	// The client's cookie, or null when it sent none.
	private final @Nullable String token;

	private final @Nullable PoolServer requested;

	private StickyCookie(String name, @Nullable String token, @Nullable PoolServer requested) {
		this.name = name;
		this.token = token;
		this.requested = requested;
	}

	/** The sticky cookie of {@code request}, or null when the pool has none. */
	static @Nullable StickyCookie of(io.junction.pools.Pool pool, ServerHttpRequest request) {
		StickySettings sticky = pool.sticky();
		String name = sticky.cookie();
		if (name == null) {
			return null;
		}
		HttpCookie cookie = request.getCookies().getFirst(name);
		String token = (cookie != null) ? cookie.getValue() : null;
		PoolServer requested = (token != null) ? pool.serverByStickyToken(token) : null;
		return new StickyCookie(name, token, requested);
	}

	/** The server the cookie names, or null when it names none of the pool. */
	@Nullable PoolServer requested() {
		return this.requested;
	}

	/**
	 * Takes the sticky cookie out of the Cookie headers in {@code sent}, keeping the
	 * client's other cookies, in one Cookie header (RFC 6265 5.4).
	 */
	void removeFrom(io.netty.handler.codec.http.HttpHeaders sent) {
		if (this.token == null) {
			return;
		}
		List<String> headers = sent.getAll(HttpHeaders.COOKIE);
		StringBuilder kept = new StringBuilder();
		for (String header : headers) {
			int start = 0;
			while (start < header.length()) {
				int end = header.indexOf(';', start);
				if (end < 0) {
					end = header.length();
				}
				String pair = header.substring(start, end).trim();
				if (!pair.isEmpty() && !isSticky(pair)) {
					if (kept.length() > 0) {
						kept.append("; ");
					}
					kept.append(pair);
				}
				start = end + 1;
			}
		}
		if (kept.length() == 0) {
			sent.remove(HttpHeaders.COOKIE);
		}
		else {
			sent.set(HttpHeaders.COOKIE, kept.toString());
		}
	}

	private boolean isSticky(String pair) {
		int equals = pair.indexOf('=');
		String pairName = ((equals < 0) ? pair : pair.substring(0, equals)).trim();
		return pairName.equals(this.name);
	}

	/**
	 * Names {@code chosen} in a Set-Cookie of {@code response} unless the client's cookie
	 * already does ({@code indirect}); a response that sets it is marked
	 * {@code Cache-Control: private} ({@code nocache}), so that no shared cache hands one
	 * client's server to another.
	 * @param secure whether the client came over https: the cookie is then Secure
	 */
	void setOn(HttpHeaders response, PoolServer chosen, boolean secure) {
		if (chosen == this.requested) {
			return;
		}
		response.add(HttpHeaders.SET_COOKIE,
				this.name + "=" + chosen.stickyToken() + "; Path=/; HttpOnly" + (secure ? "; Secure" : ""));
		// HAProxy adds its Cache-control: private beside what the server sent; so does
		// Junction, unless the server already keeps the response out of shared caches.
		List<String> cacheControl = response.get(HttpHeaders.CACHE_CONTROL);
		if (cacheControl == null || !isPrivate(cacheControl)) {
			response.add(HttpHeaders.CACHE_CONTROL, "private");
		}
	}

	private static boolean isPrivate(List<String> cacheControl) {
		for (String value : cacheControl) {
			String lower = value.toLowerCase(java.util.Locale.ROOT);
			if (lower.contains("private") || lower.contains("no-store")) {
				return true;
			}
		}
		return false;
	}

}

package io.junction.proxy;

import java.util.concurrent.ThreadLocalRandom;

import io.junction.balancing.ConsistentHash;
import io.junction.pools.HashSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The hash of what a pool with {@code balance: hash} hashes, read from one request once,
 * before its first try, so that its retries go round the same ring.
 */
final class HashKey {

	private HashKey() {
	}

	/**
	 * The key's hash; for a request without the header, cookie or address hashed, a
	 * random one, so that such requests spread rather than all meeting on one server.
	 */
	static long of(HashSettings hash, ServerHttpRequest request, ProxyHeaders headers) {
		@Nullable String key = switch (hash.on()) {
			case PATH -> request.getURI().getRawPath();
			case HEADER -> request.getHeaders().getFirst(String.valueOf(hash.name()));
			case COOKIE -> {
				HttpCookie cookie = request.getCookies().getFirst(String.valueOf(hash.name()));
				yield (cookie != null) ? cookie.getValue() : null;
			}
			case CLIENT_ADDRESS -> headers.clientIp(request);
		};
		return (key != null && !key.isEmpty()) ? ConsistentHash.hash(key) : ThreadLocalRandom.current().nextLong();
	}

}

/**
 * Rate limits per route, shared by every replica through Redis: Junction's
 * {@code RateLimit} filter puts Gateway's {@code RequestRateLimiter} on a route, with the
 * client address (or a header) as the key and Gateway's token-bucket script run in Redis.
 */
@NullMarked
package io.junction.ratelimit;

import org.jspecify.annotations.NullMarked;

/**
 * Backend pools: HAProxy's {@code backend} sections, configured under
 * {@code junction.backends.<name>} and served as Spring Cloud LoadBalancer service ids,
 * so that a route's {@code lb://<name>} balances over the pool's servers.
 */
@NullMarked
package io.junction.pools;

import org.jspecify.annotations.NullMarked;

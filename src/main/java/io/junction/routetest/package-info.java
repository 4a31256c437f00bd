/**
 * {@code route-test}: checks the routing decisions of a Junction configuration against a
 * file of requests and what must become of each, with real routing and rewriting and an
 * echo server in place of each pool.
 */
@NullMarked
package io.junction.routetest;

import org.jspecify.annotations.NullMarked;

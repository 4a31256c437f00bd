/**
 * The request pipeline for routes to a pool: the pool looked up once, its tries (one
 * {@link io.junction.proxy.Attempt} each) with HAProxy's retry rules, one HTTP client per
 * pool, the headers written once each way, and {@link io.junction.proxy.UpstreamFailure},
 * the one list of the ways a try can fail. docs/architecture.md walks through it.
 */
@NullMarked
package io.junction.proxy;

import org.jspecify.annotations.NullMarked;

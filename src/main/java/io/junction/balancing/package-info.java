/**
 * Which server takes a request: {@link io.junction.balancing.Candidates} says which
 * servers may (health, ejection, admin state, weight, servers that already failed the
 * request, panic mode), a {@link io.junction.balancing.Balancer} picks one of them
 * (HAProxy's {@code balance}). A new algorithm is one more {@code Balancer}.
 */
@NullMarked
package io.junction.balancing;

import org.jspecify.annotations.NullMarked;

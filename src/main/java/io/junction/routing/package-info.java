/**
 * Routing: HAProxy's path ACLs as route predicates ({@code PathRegex} for
 * {@code path_reg}), the headers HAProxy passes or adds, and the plain-text errors a
 * client gets when a request cannot be routed.
 */
@NullMarked
package io.junction.routing;

import org.jspecify.annotations.NullMarked;

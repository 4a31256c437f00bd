/**
 * Request framing on the traffic port, checked once and strictly before HTTP is decoded:
 * heads that could be read two ways (request smuggling), and the limits on a request's
 * head.
 */
@NullMarked
package io.junction.framing;

import org.jspecify.annotations.NullMarked;

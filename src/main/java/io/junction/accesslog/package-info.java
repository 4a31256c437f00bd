/**
 * The access log: one line per request on the traffic port, in the spirit of HAProxy's
 * {@code option httplog}, with the route, pool and server, the timing breakdown and a
 * termination state. Off by default; when on, lines are handed to a writer thread so that
 * logging never blocks the event loop.
 */
@NullMarked
package io.junction.accesslog;

import org.jspecify.annotations.NullMarked;

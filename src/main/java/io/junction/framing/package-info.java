/**
 * HTTP/1.x framing checked once and strictly before Netty decodes it: requests on the
 * traffic port (heads that could be read two ways, request smuggling, and the limits on a
 * request's head), and responses on the connections to servers (a response that could be
 * read two ways never reaches the client).
 */
@NullMarked
package io.junction.framing;

import org.jspecify.annotations.NullMarked;

/**
 * Servers found through DNS: {@link io.junction.discovery.DnsLookup} asks DNS servers
 * which addresses a name has now (A and AAAA records, or SRV records and their targets),
 * in the spirit of HAProxy's {@code resolvers} section and {@code server-template}. It
 * never caches: the caller asks again on its own interval.
 */
@NullMarked
package io.junction.discovery;

import org.jspecify.annotations.NullMarked;

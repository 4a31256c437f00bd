/**
 * What faces the clients before routing: TLS on the traffic port (Spring Boot's SSL
 * bundles, configured in {@code application.yml}), the PROXY protocol, the plain port
 * that sends clients to https, and how many client connections are open and how long an
 * idle one stays.
 */
@NullMarked
package io.junction.edge;

import org.jspecify.annotations.NullMarked;

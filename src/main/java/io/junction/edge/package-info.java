/**
 * What faces the clients before routing: TLS on the traffic port (Spring Boot's SSL
 * bundles, configured in {@code application.yml}), and the plain port that sends clients
 * to https.
 */
@NullMarked
package io.junction.edge;

import org.jspecify.annotations.NullMarked;

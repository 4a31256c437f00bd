/**
 * The demo: in-process app servers for every loopback server of the configured pools, so
 * that {@code ./mvnw spring-boot:run} routes real requests with no setup. Active only
 * with the {@code demo} profile; {@code java -jar} and the container never start it.
 */
@NullMarked
package io.junction.demo;

import org.jspecify.annotations.NullMarked;

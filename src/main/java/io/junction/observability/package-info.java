/**
 * Observability: Junction's own meters, named in
 * {@link io.junction.observability.JunctionMeters} and exported on
 * {@code /actuator/prometheus} on the management port.
 */
@NullMarked
package io.junction.observability;

import org.jspecify.annotations.NullMarked;

/**
 * Health of app servers: active checks on a schedule (HAProxy {@code check} with
 * {@code inter}, {@code rise} and {@code fall}), passive checks on real traffic (outlier
 * ejection), the one-line log of every state change, and the pools' part of
 * {@code /actuator/health}.
 */
@NullMarked
package io.junction.health;

import org.jspecify.annotations.NullMarked;

/**
 * Runtime admin on the management port: the {@code servers} Actuator endpoint lists every
 * pool's servers and, when {@code junction.admin.enabled} is true, sets a server's admin
 * state and weight, as HAProxy's runtime API {@code set server} does.
 */
@NullMarked
package io.junction.admin;

import org.jspecify.annotations.NullMarked;

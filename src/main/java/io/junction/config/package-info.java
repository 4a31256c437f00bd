/**
 * Configuration as a whole: the check that start-up, reload and the check command share,
 * and the keys Junction knows.
 */
@NullMarked
package io.junction.config;

import org.jspecify.annotations.NullMarked;

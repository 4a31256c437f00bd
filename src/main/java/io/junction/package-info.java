/**
 * Junction's entry point and what every concept shares: refusing bad configuration with
 * one line that names the key.
 */
@NullMarked
package io.junction;

import org.jspecify.annotations.NullMarked;

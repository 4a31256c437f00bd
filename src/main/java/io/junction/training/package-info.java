/**
 * {@code train}: a run that serves traffic, for the image's JVM AOT cache to learn the
 * request path.
 */
@NullMarked
package io.junction.training;

import org.jspecify.annotations.NullMarked;

/**
 * {@code import-haproxy}: an haproxy.cfg turned into Junction configuration, with every
 * line that has no Junction equivalent listed with its reason.
 */
@NullMarked
package io.junction.haproxy;

import org.jspecify.annotations.NullMarked;

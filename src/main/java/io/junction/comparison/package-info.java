/**
 * {@code compare-haproxy}: the real HAProxy and Junction, each in front of echo servers,
 * given the same requests, and every routing decision compared.
 */
@NullMarked
package io.junction.comparison;

import org.jspecify.annotations.NullMarked;

package io.junction.routing;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Junction's one policy for request paths, applied to every path before a route is
 * matched and to every path a rewrite makes (README, "Paths"): a path means one thing to
 * Junction and to every server behind it, so that no path can reach another route's pool
 * or another path than its route's rewrite allows.
 * <ul>
 * <li>empty segments ({@code //}) are merged into one {@code /} before matching, as
 * HAProxy's {@code normalize-uri path-merge-slashes} does;</li>
 * <li>refused: a dot segment ({@code .} or {@code ..}, literal or percent-encoded, also
 * before a {@code ;}, or next to an encoded slash or backslash, which some servers take
 * for a separator), a backslash, an encoded control character ({@code %00}–{@code %1F},
 * {@code %7F}), a malformed percent-encoding, an invalid or overlong UTF-8 sequence, a
 * raw byte that is not printable ASCII.</li>
 * </ul>
 * Dot segments are refused rather than resolved: browsers and HTTP libraries resolve them
 * before sending, so a request that still holds one is probing, and resolving it would
 * let a path that a filter in front allowed become one it did not.
 */
final class SafePaths {

	private SafePaths() {
	}

	/**
	 * The path to route, {@code rawPath} itself when nothing needs changing.
	 * @param rawPath the path as received, still percent-encoded
	 * @throws UnsafePathException with the reason, for a path the policy refuses
	 */
	static String checked(String rawPath) {
		@Nullable String refusal = refusal(rawPath);
		if (refusal != null) {
			throw new UnsafePathException(refusal);
		}
		return (rawPath.contains("//")) ? mergeSlashes(rawPath) : rawPath;
	}

	/** Why the policy refuses {@code rawPath}, or null when it does not. */
	static @Nullable String refusal(String rawPath) {
		int length = rawPath.length();
		// Dots seen in the current segment, and whether it held anything else.
		int dots = 0;
		boolean other = false;
		boolean parameters = false;
		for (int i = 0; i < length; i++) {
			char c = rawPath.charAt(i);
			if (c == '/') {
				if (!parameters && isDotSegment(dots, other)) {
					return "a dot segment (. or ..) in the path";
				}
				dots = 0;
				other = false;
				parameters = false;
				continue;
			}
			if (c <= ' ' || c >= 0x7F) {
				return "a control, space or non-ASCII character in the path";
			}
			if (c == '\\') {
				return "a backslash in the path";
			}
			if (c == ';' && !parameters) {
				// After ';' a segment holds parameters: some servers drop them, so the
				// part before them is what must not be a dot segment.
				if (isDotSegment(dots, other)) {
					return "a dot segment (. or ..) in the path";
				}
				parameters = true;
				continue;
			}
			if (c != '%') {
				if (c == '.') {
					dots++;
				}
				else {
					other = true;
				}
				continue;
			}
			int b = encodedByte(rawPath, i);
			if (b < 0) {
				return "a malformed percent-encoding in the path";
			}
			if (b < 0x20 || b == 0x7F) {
				return "an encoded control character (" + rawPath.substring(i, i + 3) + ") in the path";
			}
			if (b == '/' || b == '\\') {
				// Passed on as sent, but a server that decodes it may split the segment
				// there: neither side of it may be a dot segment.
				if (!parameters && isDotSegment(dots, other)) {
					return "a dot segment (. or ..) in the path";
				}
				dots = 0;
				other = false;
				parameters = false;
				i += 2;
				continue;
			}
			if (b == '.') {
				dots++;
			}
			else {
				other = true;
			}
			if (b < 0x80) {
				i += 2;
				continue;
			}
			int end = utf8SequenceEnd(rawPath, i, b);
			if (end < 0) {
				return "an invalid or overlong UTF-8 sequence in the path";
			}
			i = end - 1;
		}
		return (!parameters && isDotSegment(dots, other)) ? "a dot segment (. or ..) in the path" : null;
	}

	private static boolean isDotSegment(int dots, boolean other) {
		return !other && (dots == 1 || dots == 2);
	}

	/** {@code rawPath} with every run of slashes made one. */
	static String mergeSlashes(String rawPath) {
		StringBuilder merged = new StringBuilder(rawPath.length());
		for (int i = 0; i < rawPath.length(); i++) {
			char c = rawPath.charAt(i);
			if (c != '/' || merged.isEmpty() || merged.charAt(merged.length() - 1) != '/') {
				merged.append(c);
			}
		}
		return merged.toString();
	}

	/** The byte {@code %XX} at {@code index} stands for, or -1 when it is not one. */
	private static int encodedByte(String path, int index) {
		if (index + 2 >= path.length() || path.charAt(index) != '%') {
			return -1;
		}
		int high = Character.digit(path.charAt(index + 1), 16);
		int low = Character.digit(path.charAt(index + 2), 16);
		return (high < 0 || low < 0) ? -1 : (high << 4) | low;
	}

	/**
	 * The index just after the percent-encoded UTF-8 sequence whose lead byte
	 * {@code lead} is at {@code index}, or -1 when the sequence is not well-formed UTF-8
	 * (RFC 3629): a stray continuation byte, a missing one, an overlong form (such as
	 * {@code %C0%AE} for a dot), a surrogate, or a code point above U+10FFFF.
	 */
	private static int utf8SequenceEnd(String path, int index, int lead) {
		int continuations;
		int lowest = 0x80;
		int highest = 0xBF;
		if (lead >= 0xC2 && lead <= 0xDF) {
			continuations = 1;
		}
		else if (lead >= 0xE0 && lead <= 0xEF) {
			continuations = 2;
			lowest = (lead == 0xE0) ? 0xA0 : 0x80;
			highest = (lead == 0xED) ? 0x9F : 0xBF;
		}
		else if (lead >= 0xF0 && lead <= 0xF4) {
			continuations = 3;
			lowest = (lead == 0xF0) ? 0x90 : 0x80;
			highest = (lead == 0xF4) ? 0x8F : 0xBF;
		}
		else {
			return -1;
		}
		int at = index + 3;
		for (int n = 0; n < continuations; n++, at += 3) {
			int b = encodedByte(path, at);
			if (b < lowest || b > highest) {
				return -1;
			}
			// Only the first continuation byte has the narrower range.
			lowest = 0x80;
			highest = 0xBF;
		}
		return at;
	}

	/** A path the policy refuses: 400 with the reason. */
	static final class UnsafePathException extends ResponseStatusException {

		UnsafePathException(String reason) {
			super(HttpStatus.BAD_REQUEST, reason);
		}

		@Override
		public synchronized Throwable fillInStackTrace() {
			// Refusals come from clients, often many: the reason says all.
			return this;
		}

	}

}

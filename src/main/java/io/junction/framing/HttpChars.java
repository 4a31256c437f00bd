package io.junction.framing;

/** Which bytes HTTP/1.x allows where, as RFC 9110 and 9112 define them. */
final class HttpChars {

	private static final boolean[] TOKEN = new boolean[256];

	static {
		for (int c = '0'; c <= '9'; c++) {
			TOKEN[c] = true;
		}
		for (int c = 'a'; c <= 'z'; c++) {
			TOKEN[c] = true;
			TOKEN[c - 32] = true;
		}
		for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
			TOKEN[c] = true;
		}
	}

	private HttpChars() {
	}

	/** Whether {@code b} may be part of a token, such as a header name or a method. */
	static boolean isToken(byte b) {
		return TOKEN[b & 0xFF];
	}

	/**
	 * Whether {@code b} is a control character that a field value may not hold: any but a
	 * tab (CR and LF end the line before a value is read).
	 */
	static boolean isControl(byte b) {
		int c = b & 0xFF;
		return (c < ' ' && c != '\t') || c == 0x7F;
	}

	/** The lower-case form of an ASCII letter; other bytes as they are. */
	static int lowerCase(byte b) {
		return (b >= 'A' && b <= 'Z') ? b + 32 : b;
	}

}

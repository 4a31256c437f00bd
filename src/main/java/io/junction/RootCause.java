package io.junction;

/** What a failure's deepest cause says: the words a one-line refusal shows. */
public final class RootCause {

	private RootCause() {
	}

	/** The message of the last cause of {@code failure}, or its name when it has none. */
	public static String message(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.toString();
	}

}

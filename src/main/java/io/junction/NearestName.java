package io.junction;

import java.util.Collection;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The known name nearest to a misspelt one, for refusals that say "did you mean ...?".
 * Near means few single-character edits (insert, delete, replace, swap two neighbours),
 * ignoring case and dashes, as Spring's relaxed binding does.
 */
public final class NearestName {

	private NearestName() {
	}

	/**
	 * The one of {@code known} nearest to {@code name}, or null when none is near enough
	 * to be a likely typo: at most 2 edits, or a third of the name's length if longer.
	 */
	public static @Nullable String of(String name, Collection<String> known) {
		String written = normal(name);
		int limit = Math.max(2, written.length() / 3);
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : known) {
			int distance = distance(written, normal(candidate));
			if (distance <= limit && distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return best;
	}

	/** Whether {@code a} and {@code b} are one name, ignoring case and dashes. */
	public static boolean same(String a, String b) {
		return normal(a).equals(normal(b));
	}

	private static String normal(String name) {
		return name.replace("-", "").toLowerCase(Locale.ROOT);
	}

	// Optimal string alignment distance: Levenshtein plus the swap of two neighbours,
	// the commonest typo.
	static int distance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

}

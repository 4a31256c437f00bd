package io.junction.haproxy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.junction.haproxy.HaproxyConfig.Line;

/**
 * The lines of the file that were not converted, each with its reasons, and the lines
 * that were (or need nothing), so that every other line can be listed at the end.
 */
final class Losses {

	private final Map<Integer, Loss> byLine = new TreeMap<>();

	private final Set<Integer> handled = new HashSet<>();

	/** Lists {@code line} as not converted, or not wholly, for {@code reason}. */
	void add(Line line, String reason) {
		Loss loss = this.byLine.computeIfAbsent(line.number(), (number) -> new Loss(line, new ArrayList<>()));
		if (!loss.reasons().contains(reason)) {
			loss.reasons().add(reason);
		}
	}

	/** Marks {@code line} as converted, or as needing nothing in Junction. */
	void handled(Line line) {
		this.handled.add(line.number());
	}

	boolean isListed(Line line) {
		return this.byLine.containsKey(line.number());
	}

	/**
	 * Lists every line of {@code lines} that was neither converted nor listed, for
	 * {@code reason} after its keyword.
	 */
	void addUnhandled(List<Line> lines, String reason) {
		for (Line line : lines) {
			if (!this.handled.contains(line.number()) && !isListed(line)) {
				add(line, line.keyword() + ": " + reason);
			}
		}
	}

	List<Loss> all() {
		return List.copyOf(this.byLine.values());
	}

	/** A line that was not converted, and why. */
	record Loss(Line line, List<String> reasons) {

		@Override
		public String toString() {
			return "line " + this.line.number() + ": " + this.line.text() + "\n    " + String.join("; ", this.reasons);
		}

	}

}

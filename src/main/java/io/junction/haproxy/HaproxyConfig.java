package io.junction.haproxy;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An haproxy.cfg read into its sections and their lines, each line split into words as
 * HAProxy splits its arguments: quotes, backslash escapes and comments removed.
 */
final class HaproxyConfig {

	/** The sections that hold proxies or their defaults; others are not converted. */
	static final List<String> PROXY_KINDS = List.of("defaults", "frontend", "backend", "listen");

	private static final List<String> SECTION_KINDS = List.of("global", "defaults", "frontend", "backend", "listen",
			"userlist", "peers", "resolvers", "mailers", "program", "http-errors", "ring", "cache", "crt-store",
			"traces", "log-forward");

	private final List<Section> sections;

	private final List<Line> outsideSections;

	private HaproxyConfig(List<Section> sections, List<Line> outsideSections) {
		this.sections = sections;
		this.outsideSections = outsideSections;
	}

	List<Section> sections() {
		return this.sections;
	}

	/** Lines before the first section, which HAProxy refuses. */
	List<Line> outsideSections() {
		return this.outsideSections;
	}

	/**
	 * Reads {@code text}.
	 * @throws IllegalArgumentException naming the line of an unterminated quote
	 */
	static HaproxyConfig parse(String text) {
		List<Section> sections = new ArrayList<>();
		List<Line> outside = new ArrayList<>();
		Section current = null;
		String[] lines = text.split("\r?\n", -1);
		for (int i = 0; i < lines.length; i++) {
			List<String> words;
			try {
				words = words(lines[i]);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("line " + (i + 1) + ": " + ex.getMessage());
			}
			if (words.isEmpty()) {
				continue;
			}
			Line line = new Line(i + 1, words, lines[i].strip());
			if (SECTION_KINDS.contains(line.keyword())) {
				current = new Section(line);
				sections.add(current);
			}
			else if (current != null) {
				current.lines().add(line);
			}
			else {
				outside.add(line);
			}
		}
		return new HaproxyConfig(sections, outside);
	}

	/** Splits a line into words as HAProxy does. */
	static List<String> words(String line) {
		List<String> words = new ArrayList<>();
		StringBuilder word = null;
		int i = 0;
		while (i < line.length()) {
			char c = line.charAt(i);
			if (c == ' ' || c == '\t') {
				if (word != null) {
					words.add(word.toString());
					word = null;
				}
				i++;
				continue;
			}
			if (c == '#') {
				break;
			}
			if (word == null) {
				word = new StringBuilder();
			}
			if (c == '\'') {
				// Nothing is special between single quotes, as in a shell.
				int end = line.indexOf('\'', i + 1);
				if (end < 0) {
					throw new IllegalArgumentException("unterminated quote");
				}
				word.append(line, i + 1, end);
				i = end + 1;
			}
			else if (c == '"') {
				i++;
				while (i < line.length() && line.charAt(i) != '"') {
					i = (line.charAt(i) == '\\') ? escape(line, i, word) : append(line, i, word);
				}
				if (i >= line.length()) {
					throw new IllegalArgumentException("unterminated quote");
				}
				i++;
			}
			else {
				i = (c == '\\') ? escape(line, i, word) : append(line, i, word);
			}
		}
		if (word != null) {
			words.add(word.toString());
		}
		return words;
	}

	private static int append(String line, int i, StringBuilder word) {
		word.append(line.charAt(i));
		return i + 1;
	}

	// HAProxy unescapes only these; any other backslash stays, so that a regex's "\." or
	// a replacement's "\1" reaches the keyword as written.
	private static int escape(String line, int i, StringBuilder word) {
		if (i + 1 >= line.length()) {
			word.append('\\');
			return i + 1;
		}
		char next = line.charAt(i + 1);
		switch (next) {
			case ' ', '#', '\\', '"', '\'' -> word.append(next);
			case 'r' -> word.append('\r');
			case 'n' -> word.append('\n');
			case 't' -> word.append('\t');
			case 'x' -> {
				if (i + 3 < line.length() && isHex(line.charAt(i + 2)) && isHex(line.charAt(i + 3))) {
					word.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
					return i + 4;
				}
				word.append('\\');
				return i + 1;
			}
			default -> {
				word.append('\\');
				return i + 1;
			}
		}
		return i + 2;
	}

	private static boolean isHex(char c) {
		return Character.digit(c, 16) >= 0;
	}

	/** One line of the file: its number, its words and its text, for comments. */
	record Line(int number, List<String> words, String text) {

		String keyword() {
			return this.words.get(0);
		}

		String word(int index) {
			return (index < this.words.size()) ? this.words.get(index) : "";
		}

		int size() {
			return this.words.size();
		}

		/** The words after the first {@code count}. */
		List<String> after(int count) {
			return this.words.subList(Math.min(count, this.words.size()), this.words.size());
		}

		@Override
		public String toString() {
			return this.number + ": " + this.text;
		}

	}

	/** A section: {@code backend <name>}, {@code defaults [<name>] [from <name>]}... */
	record Section(Line header, List<Line> lines) {

		Section(Line header) {
			this(header, new ArrayList<>());
		}

		String kind() {
			return this.header.keyword();
		}

		String name() {
			String name = this.header.word(1);
			return "from".equals(name) ? "" : name;
		}

		/** The defaults section named by {@code from}, if any. */
		@Nullable String from() {
			int from = this.header.words().indexOf("from");
			return (from > 0) ? this.header.word(from + 1) : null;
		}

	}

}

package io.junction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code /actuator/prometheus} answer, read as Prometheus reads it: each sample line
 * is a name, its labels and a value.
 */
public final class Scrape {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private final String text;

	private final List<Sample> samples = new ArrayList<>();

	public Scrape(String text) {
		this.text = text;
		for (String line : text.split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (!line.startsWith("#") && sample.find()) {
				Map<String, String> labels = new LinkedHashMap<>();
				if (sample.group(3) != null) {
					Matcher label = LABEL.matcher(sample.group(3));
					while (label.find()) {
						labels.put(label.group(1), label.group(2));
					}
				}
				this.samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(4))));
			}
		}
	}

	/** What {@code junction} shows on {@code /actuator/prometheus} now. */
	public static Scrape of(RunningJunction junction) {
		return new Scrape(junction.scrape());
	}

	/** The names of every sample. */
	public Set<String> names() {
		Set<String> names = new TreeSet<>();
		this.samples.forEach((sample) -> names.add(sample.name()));
		return names;
	}

	/**
	 * The value of the one sample named {@code name} with these labels (and maybe
	 * others), given as name, value, name, value...
	 * @throws AssertionError if none or several match
	 */
	public double value(String name, String... labels) {
		List<Sample> found = find(name, labels);
		if (found.size() != 1) {
			throw new AssertionError(found.size() + " samples " + name + " " + List.of(labels) + " in:\n" + this.text);
		}
		return found.get(0).value();
	}

	/** Every sample named {@code name} with these labels (and maybe others). */
	public List<Sample> find(String name, String... labels) {
		List<Sample> found = new ArrayList<>();
		for (Sample sample : this.samples) {
			if (sample.name().equals(name) && sample.has(labels)) {
				found.add(sample);
			}
		}
		return found;
	}

	@Override
	public String toString() {
		return this.text;
	}

	/**
	 * One sample line.
	 *
	 * @param name the metric name
	 * @param labels the labels
	 * @param value the value
	 */
	public record Sample(String name, Map<String, String> labels, double value) {

		boolean has(String... pairs) {
			for (int i = 0; i + 1 < pairs.length; i += 2) {
				if (!pairs[i + 1].equals(this.labels.get(pairs[i]))) {
					return false;
				}
			}
			return true;
		}

	}

}

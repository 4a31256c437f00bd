package io.junction.haproxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The Junction configuration made from an haproxy.cfg: top-level settings, pools and
 * routes, each with the comments that name the lines it came from.
 */
final class JunctionConfig {

	/** Settings outside pools and routes, by their full dotted key. */
	final Map<String, Object> settings = new LinkedHashMap<>();

	final List<Pool> pools = new ArrayList<>();

	final List<Route> routes = new ArrayList<>();

	/** {@code junction.backends.<name>}: settings by their key under the pool. */
	record Pool(String name, List<String> comments, Map<String, Object> settings, List<Server> servers) {

		Pool(String name) {
			this(name, new ArrayList<>(), new LinkedHashMap<>(), new ArrayList<>());
		}

	}

	/** One of a pool's {@code servers}: {@code name}, {@code url}, then its options. */
	record Server(String name, String url, Map<String, Object> options) {

	}

	/** A route to a pool: {@code uri: lb://<pool>}. */
	record Route(String id, String pool, List<String> comments, List<Definition> predicates, List<Definition> filters) {

	}

	/** A predicate or filter: its name and its arguments in shortcut order. */
	record Definition(String name, Map<String, String> args, boolean isList) {

		/** A predicate such as {@code Method=GET,POST}, whose one argument is a list. */
		static Definition list(String name, List<String> values) {
			Map<String, String> args = new LinkedHashMap<>();
			for (String value : values) {
				args.put(String.valueOf(args.size()), value);
			}
			return new Definition(name, args, true);
		}

		static Definition of(String name, String... namesAndValues) {
			Map<String, String> args = new LinkedHashMap<>();
			for (int i = 0; i < namesAndValues.length; i += 2) {
				args.put(namesAndValues[i], namesAndValues[i + 1]);
			}
			return new Definition(name, args, false);
		}

		/**
		 * The shortcut form, {@code Name=arg1, arg2}, or null where it would not read
		 * back the same: Gateway splits it on commas and trims each argument.
		 */
		@Nullable String shortcut() {
			if (this.isList) {
				return this.name + "=" + String.join(",", this.args.values());
			}
			for (String value : this.args.values()) {
				if (value.contains(",") || !value.equals(value.strip())) {
					return null;
				}
			}
			return this.name + "=" + String.join(", ", this.args.values());
		}

	}

}

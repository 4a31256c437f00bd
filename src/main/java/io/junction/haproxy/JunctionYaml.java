package io.junction.haproxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.junction.haproxy.JunctionConfig.Definition;
import io.junction.haproxy.JunctionConfig.Pool;
import io.junction.haproxy.JunctionConfig.Route;
import io.junction.haproxy.JunctionConfig.Server;

/**
 * Writes a {@link JunctionConfig} as Junction's YAML, in the layout of
 * {@code examples/seed.yml}: pools, then routes, each after comments naming its lines.
 */
final class JunctionYaml {

	private static final String ROUTES_INDENT = "            ";

	// Plain scalars that YAML reads back as the same string: no indicator first, no
	// ": " or " #", and not a word YAML 1.1 reads as a boolean or null.
	private static final Pattern PLAIN = Pattern.compile("[^-?:,\\[\\]{}#&*!|>'\"%@`\\s]([^#]*[^:\\s])?");

	private static final Pattern NOT_A_STRING = Pattern
		.compile("(?i)y|n|yes|no|true|false|on|off|null|~|[-+]?[0-9][0-9_.:eE+-]*|\\.inf|\\.nan");

	private static final Pattern FLOW_PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

	private final StringBuilder yaml = new StringBuilder();

	private JunctionYaml() {
	}

	/** {@code config} as YAML, after {@code header} as comment lines. */
	static String write(JunctionConfig config, List<String> header) {
		JunctionYaml writer = new JunctionYaml();
		writer.comments(header, "");
		writer.yaml.append("junction:\n");
		Map<String, Object> junction = new LinkedHashMap<>();
		Map<String, Object> others = new LinkedHashMap<>();
		config.settings.forEach((key, value) -> {
			if (key.startsWith("junction.")) {
				junction.put(key.substring("junction.".length()), value);
			}
			else {
				others.put(key, value);
			}
		});
		writer.tree(nest(junction), "  ");
		writer.yaml.append("  backends:").append(config.pools.isEmpty() ? " {}\n" : "\n");
		for (Pool pool : config.pools) {
			writer.pool(pool);
		}
		writer.tree(nest(others), "");
		writer.yaml.append("spring:\n  cloud:\n    gateway:\n      server:\n        webflux:\n");
		writer.yaml.append("          routes:").append(config.routes.isEmpty() ? " []\n" : "\n");
		for (Route route : config.routes) {
			writer.route(route);
		}
		return writer.yaml.toString();
	}

	private void pool(Pool pool) {
		comments(pool.comments(), "    ");
		this.yaml.append("    ").append(pool.name()).append(":\n");
		tree(nest(pool.settings()), "      ");
		this.yaml.append("      servers:\n");
		for (Server server : pool.servers()) {
			this.yaml.append("        - {name: ").append(flowScalar(server.name()));
			this.yaml.append(", url: \"").append(server.url()).append('"');
			server.options().forEach((key, value) -> this.yaml.append(", ").append(key).append(": ").append(value));
			this.yaml.append("}\n");
		}
	}

	private void route(Route route) {
		comments(route.comments(), ROUTES_INDENT);
		this.yaml.append(ROUTES_INDENT).append("- id: ").append(scalar(route.id())).append('\n');
		this.yaml.append(ROUTES_INDENT).append("  uri: lb://").append(route.pool()).append('\n');
		definitions("predicates", route.predicates());
		definitions("filters", route.filters());
	}

	private void definitions(String kind, List<Definition> definitions) {
		if (definitions.isEmpty()) {
			return;
		}
		this.yaml.append(ROUTES_INDENT).append("  ").append(kind).append(":\n");
		for (Definition definition : definitions) {
			this.yaml.append(ROUTES_INDENT).append("    - ");
			String shortcut = definition.shortcut();
			if (shortcut != null) {
				this.yaml.append(scalar(shortcut)).append('\n');
				continue;
			}
			// The long form, for arguments that the shortcut's comma splitting would
			// break.
			this.yaml.append("name: ").append(definition.name()).append('\n');
			this.yaml.append(ROUTES_INDENT).append("      args:\n");
			definition.args()
				.forEach((name, value) -> this.yaml.append(ROUTES_INDENT)
					.append("        ")
					.append(name)
					.append(": ")
					.append(scalar(value))
					.append('\n'));
		}
	}

	private void comments(List<String> comments, String indent) {
		for (String comment : comments) {
			for (String line : comment.split("\n")) {
				this.yaml.append(indent).append(line.isEmpty() ? "#" : "# " + line).append('\n');
			}
		}
	}

	// Dotted keys as nested maps, in the order of their first key.
	@SuppressWarnings("unchecked")
	private static Map<String, Object> nest(Map<String, Object> dotted) {
		Map<String, Object> tree = new LinkedHashMap<>();
		dotted.forEach((key, value) -> {
			Map<String, Object> level = tree;
			String[] parts = key.split("\\.");
			for (int i = 0; i < parts.length - 1; i++) {
				level = (Map<String, Object>) level.computeIfAbsent(parts[i], (part) -> new LinkedHashMap<>());
			}
			level.put(parts[parts.length - 1], value);
		});
		return tree;
	}

	@SuppressWarnings("unchecked")
	private void tree(Map<String, Object> tree, String indent) {
		tree.forEach((key, value) -> {
			this.yaml.append(indent).append(key).append(':');
			if (value instanceof Map<?, ?> map) {
				this.yaml.append('\n');
				tree((Map<String, Object>) map, indent + "  ");
			}
			else {
				this.yaml.append(' ').append((value instanceof String string) ? scalar(string) : value).append('\n');
			}
		});
	}

	/**
	 * {@code value} as a block scalar: plain where that reads back the same, else quoted.
	 */
	static String scalar(String value) {
		if (PLAIN.matcher(value).matches() && !value.contains(": ") && !value.contains(" #")
				&& !NOT_A_STRING.matcher(value).matches()) {
			return value;
		}
		// Single quotes keep backslashes, so $\{rest} reaches Spring as written.
		return "'" + value.replace("'", "''") + "'";
	}

	private static String flowScalar(String value) {
		return FLOW_PLAIN.matcher(value).matches() && !NOT_A_STRING.matcher(value).matches() ? value
				: "'" + value.replace("'", "''") + "'";
	}

}

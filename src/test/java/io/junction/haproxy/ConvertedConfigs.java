package io.junction.haproxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/** The test configs of {@code src/test/resources/haproxy}, converted and read back. */
final class ConvertedConfigs {

	static final Path DIRECTORY = Path.of("src/test/resources/haproxy");

	private ConvertedConfigs() {
	}

	static HaproxyImport.Result convert(String name) {
		try {
			Path file = DIRECTORY.resolve(name + ".cfg");
			return HaproxyImport.convert(Files.readString(file, StandardCharsets.UTF_8), file.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The conversion of an haproxy.cfg given as text. */
	static HaproxyImport.Result convertText(String haproxyCfg) {
		return HaproxyImport.convert(haproxyCfg, "test.cfg");
	}

	/** The routes of a conversion, as {@link #routeLines(Map)} writes them. */
	static List<String> routeLines(HaproxyImport.Result result) {
		return routeLines(yaml(result.yaml()));
	}

	/** The pools of a conversion, by name. */
	static Map<String, Map<String, Object>> pools(HaproxyImport.Result result) {
		return pools(yaml(result.yaml()));
	}

	/** The YAML read back by SnakeYAML, as Spring Boot reads it. */
	static Map<String, Object> yaml(String text) {
		return new Yaml().load(text);
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> routes(Map<String, Object> yaml) {
		return (List<Map<String, Object>>) at(yaml, "spring", "cloud", "gateway", "server", "webflux", "routes");
	}

	@SuppressWarnings("unchecked")
	static Map<String, Map<String, Object>> pools(Map<String, Object> yaml) {
		return (Map<String, Map<String, Object>>) at(yaml, "junction", "backends");
	}

	@SuppressWarnings("unchecked")
	static Object at(Map<String, Object> yaml, String... keys) {
		Object node = yaml;
		for (String key : keys) {
			node = ((Map<String, Object>) node).get(key);
		}
		return node;
	}

	/** Each route as "id uri predicates filters", for exact comparisons. */
	static List<String> routeLines(Map<String, Object> yaml) {
		return routes(yaml).stream()
			.map((route) -> route.get("id") + " " + route.get("uri") + " " + route.get("predicates")
					+ ((route.get("filters") != null) ? " " + route.get("filters") : ""))
			.toList();
	}

}

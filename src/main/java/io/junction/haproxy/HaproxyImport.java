package io.junction.haproxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.junction.haproxy.HaproxyConfig.Line;
import io.junction.haproxy.HaproxyConfig.Section;
import io.junction.haproxy.Losses.Loss;

/**
 * An haproxy.cfg converted: its backends as pools, its first frontend's rules as routes,
 * and every line that has no Junction equivalent, with why.
 */
final class HaproxyImport {

	private final JunctionConfig config = new JunctionConfig();

	private final Losses losses = new Losses();

	private final List<Proxy> proxies = new ArrayList<>();

	private final Map<String, PoolConversion> pools = new LinkedHashMap<>();

	private HaproxyImport() {
	}

	/**
	 * Converts the text of an haproxy.cfg.
	 * @param source what to call the file in the YAML's first comment
	 * @throws IllegalArgumentException if it cannot be read into lines (an unterminated
	 * quote)
	 */
	static Result convert(String text, String source) {
		HaproxyImport conversion = new HaproxyImport();
		conversion.sections(HaproxyConfig.parse(text));
		conversion.pools();
		conversion.routes();
		for (Proxy proxy : conversion.proxies) {
			conversion.losses.addUnhandled(proxy.defaults(), "no Junction equivalent yet");
			conversion.losses.addUnhandled(proxy.section().lines(), "no Junction equivalent yet");
		}
		List<Loss> losses = conversion.losses.all();
		return new Result(conversion.config, losses, JunctionYaml.write(conversion.config, header(source, losses)));
	}

	// Sections in order, each proxy with the lines of the defaults it takes: the last
	// defaults section before it, or the one that "from" names.
	private void sections(HaproxyConfig haproxy) {
		for (Line line : haproxy.outsideSections()) {
			this.losses.add(line, "outside any section");
		}
		Map<String, List<Line>> namedDefaults = new HashMap<>();
		List<Line> lastDefaults = List.of();
		for (Section section : haproxy.sections()) {
			String kind = section.kind();
			if (kind.equals("global")) {
				// Process-wide settings: none changes how a request is routed.
				this.losses.handled(section.header());
				section.lines().forEach(this.losses::handled);
				continue;
			}
			if (!HaproxyConfig.PROXY_KINDS.contains(kind)) {
				this.losses.add(section.header(), "a " + kind + " section has no Junction equivalent yet ("
						+ section.lines().size() + " lines left out)");
				section.lines().forEach(this.losses::handled);
				continue;
			}
			List<Line> defaults = lastDefaults;
			String from = section.from();
			if (from != null) {
				defaults = namedDefaults.get(from);
				if (defaults == null) {
					this.losses.add(section.header(), "no defaults section named '" + from + "' before it");
					defaults = List.of();
				}
			}
			this.losses.handled(section.header());
			if (kind.equals("defaults")) {
				List<Line> effective = new ArrayList<>((from != null) ? defaults : List.of());
				effective.addAll(section.lines());
				if (!section.name().isEmpty()) {
					namedDefaults.put(section.name(), effective);
				}
				lastDefaults = effective;
			}
			else {
				this.proxies.add(new Proxy(section, defaults));
			}
		}
	}

	private void pools() {
		Map<String, String> backendByPool = new HashMap<>();
		for (Proxy proxy : this.proxies) {
			Section section = proxy.section();
			if (section.kind().equals("frontend")) {
				continue;
			}
			// Pool names are the host of lb://<name>: letters, digits and inner dashes.
			String name = section.name()
				.toLowerCase(Locale.ROOT)
				.replaceAll("[^a-z0-9-]", "-")
				.replaceAll("^-+|-+$", "");
			if (name.isEmpty()) {
				this.losses.add(section.header(), "its name has no letter or digit to make a pool name of");
				continue;
			}
			String other = backendByPool.putIfAbsent(name, section.name());
			if (other != null) {
				this.losses.add(section.header(), "its pool name " + name + " is already backend " + other + "'s");
				continue;
			}
			PoolConversion pool = PoolConversion.convert(name, section, proxy.defaults(), this.losses);
			if (pool.pool().servers().isEmpty()) {
				// A listen section for stats; or servers that all failed to convert.
				if (section.lines().stream().anyMatch((line) -> line.keyword().equals("server"))
						|| section.kind().equals("backend")) {
					this.losses.add(section.header(), "no server converted: Junction refuses an empty pool");
				}
				continue;
			}
			this.pools.put(section.name(), pool);
			this.config.pools.add(pool.pool());
		}
	}

	// Junction has one traffic port: the first frontend is converted, or where there is
	// none the first listen with a bind (a stats listen often comes first); the frontend
	// lines of any other are listed.
	private void routes() {
		List<Proxy> frontends = this.proxies.stream()
			.filter((proxy) -> proxy.section().kind().equals("frontend")
					|| proxy.section().lines().stream().anyMatch((line) -> line.keyword().equals("bind")))
			.toList();
		Proxy converted = frontends.stream()
			.filter((proxy) -> proxy.section().kind().equals("frontend"))
			.findFirst()
			.orElse(frontends.isEmpty() ? null : frontends.get(0));
		for (Proxy proxy : frontends) {
			Section section = proxy.section();
			if (proxy == converted) {
				RouteConversion.convert(section, proxy.defaults(), this.config, this.pools, this.losses);
			}
			else {
				this.losses.add(section.header(),
						"a second frontend: Junction has one traffic port (waits for: several listeners)");
				this.losses.addUnhandled(section.lines(), "in a second frontend, not converted");
			}
		}
	}

	private static List<String> header(String source, List<Loss> losses) {
		List<String> header = new ArrayList<>();
		header.add("Converted from " + source + " by java -jar junction.jar import-haproxy.");
		header.add("Every setting that the file makes, in a section or in the defaults it takes, is written,");
		header.add("even where it equals Junction's default. What the file leaves out takes Junction's default,");
		header.add("which may differ from HAProxy's: retries (2, HAProxy 3), connect-timeout (2s),");
		header.add("response-timeout (30s). Check it with java -jar junction.jar check <this file>.");
		if (losses.isEmpty()) {
			header.add("Every line was converted.");
		}
		else {
			header.add("Not converted:");
			for (Loss loss : losses) {
				header.add("  " + loss.toString().replace("\n", "\n  "));
			}
		}
		return header;
	}

	/** A frontend, backend or listen section, with the lines of its defaults. */
	private record Proxy(Section section, List<Line> defaults) {

	}

	/** The configuration, the lines not converted, and the YAML to write. */
	record Result(JunctionConfig config, List<Loss> losses, String yaml) {

	}

}

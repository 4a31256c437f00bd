package io.junction.haproxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.junction.haproxy.HaproxyConfig.Line;
import io.junction.haproxy.HaproxyConfig.Section;
import io.junction.haproxy.JunctionConfig.Definition;
import io.junction.haproxy.JunctionConfig.Pool;
import io.junction.haproxy.JunctionConfig.Server;
import org.jspecify.annotations.Nullable;

/**
 * A {@code backend} or {@code listen} section, with the defaults it inherits, as a
 * Junction pool, and its rewrites as filters for the routes to it.
 */
final class PoolConversion {

	/**
	 * Keywords of a proxy section that are for its frontend side; a pool ignores them.
	 */
	static final Set<String> FRONTEND_KEYWORDS = Set.of("bind", "acl", "use_backend", "default_backend", "maxconn");

	/** Frontend timeouts; a pool ignores them. */
	static final Set<String> FRONTEND_TIMEOUTS = Set.of("client", "http-request", "http-keep-alive");

	private static final Set<String> SERVER_FLAGS = Set.of("check", "backup", "disabled", "ssl", "enabled");

	private final Losses losses;

	private final Pool pool;

	private final List<Definition> filters = new ArrayList<>();

	private final List<Line> filterLines = new ArrayList<>();

	private final Map<String, Line> timeouts = new LinkedHashMap<>();

	private final List<ServerLine> servers = new ArrayList<>();

	private Map<String, String> defaultServer = new LinkedHashMap<>();

	private @Nullable Line httpCheck;

	private @Nullable Line expectStatus;

	private PoolConversion(String name, Losses losses) {
		this.pool = new Pool(name);
		this.losses = losses;
	}

	/**
	 * Converts {@code section} after its {@code defaults} lines.
	 * @param name the pool's name, a host name
	 */
	static PoolConversion convert(String name, Section section, List<Line> defaults, Losses losses) {
		PoolConversion conversion = new PoolConversion(name, losses);
		conversion.pool.comments()
			.add("line " + section.header().number() + ": " + section.header().text()
					+ (name.equals(section.name()) ? "" : " (pool names must be host names)"));
		for (Line line : defaults) {
			conversion.line(line, true);
		}
		for (Line line : section.lines()) {
			conversion.line(line, false);
		}
		conversion.finish();
		return conversion;
	}

	Pool pool() {
		return this.pool;
	}

	/** The filters of every route to the pool. */
	List<Definition> filters() {
		return this.filters;
	}

	List<Line> filterLines() {
		return this.filterLines;
	}

	private void line(Line line, boolean fromDefaults) {
		String keyword = line.keyword();
		if (FRONTEND_KEYWORDS.contains(keyword)
				|| (keyword.equals("timeout") && FRONTEND_TIMEOUTS.contains(line.word(1)))) {
			return;
		}
		try {
			if (keyword.equals("server")) {
				this.servers.add(server(line));
			}
			else if (keyword.equals("default-server")) {
				this.defaultServer = new LinkedHashMap<>(this.defaultServer);
				this.defaultServer.putAll(parameters(line, line.after(1)));
			}
			else if (Rewrites.isRewrite(line)) {
				if (fromDefaults) {
					throw new NotConvertible(
							"rules in defaults have no Junction equivalent;" + " write them in each backend");
				}
				this.filters.add(Rewrites.filter(line));
				this.filterLines.add(line);
			}
			else {
				setting(line);
			}
			this.losses.handled(line);
		}
		catch (NotConvertible ex) {
			this.losses.add(line, ex.getMessage());
		}
	}

	private void setting(Line line) throws NotConvertible {
		String keyword = line.keyword();
		String argument = line.word(1);
		switch (keyword) {
			case "mode" -> {
				if (!argument.equals("http")) {
					throw new NotConvertible("mode " + argument + ": Junction proxies HTTP only");
				}
			}
			case "timeout" -> {
				if (!List.of("connect", "server", "queue", "check").contains(argument)) {
					throw new NotConvertible("timeout " + argument + " has no Junction equivalent yet");
				}
				HaproxyDurations.duration(line.word(2));
				this.timeouts.put(argument, line);
			}
			case "retries" -> this.pool.settings().put("retries", number(line, argument));
			case "balance" -> balance(line);
			case "hash-type" -> {
				// Junction's hash is always consistent; the servers a key reaches differ
				// from HAProxy's in any case.
			}
			case "hash-balance-factor" ->
				this.pool.settings().put("hash-balance-factor", number(line, argument) / 100.0);
			case "cookie" -> cookie(line);
			case "option" -> option(line);
			case "http-check" -> httpCheck(line);
			default -> throw new NotConvertible(keyword + " has no Junction equivalent yet");
		}
	}

	private void httpCheck(Line line) throws NotConvertible {
		List<String> arguments = line.after(1);
		if (arguments.size() == 3 && arguments.get(0).equals("expect") && arguments.get(1).equals("status")) {
			this.expectStatus = line;
		}
		else if (arguments.equals(List.of("send", "meth", "GET", "uri", line.word(5)))
				&& line.word(5).startsWith("/")) {
			// HAProxy 2.2's form of option httpchk GET <uri>.
			this.httpCheck = line;
			this.pool.settings().put("health-check.path", line.word(5));
		}
		else {
			throw new NotConvertible("http-check converts only as 'http-check expect status <code>' and"
					+ " 'http-check send meth GET uri <path>'");
		}
	}

	private void balance(Line line) throws NotConvertible {
		String algorithm = line.word(1);
		if (line.size() > 2) {
			throw new NotConvertible("balance " + algorithm + " with options has no Junction equivalent");
		}
		@Nullable String hashOn = null;
		switch (algorithm) {
			case "roundrobin", "static-rr" -> this.pool.settings().put("balance", "round-robin");
			case "leastconn" -> this.pool.settings().put("balance", "least-connections");
			case "random" -> this.pool.settings().put("balance", "random");
			case "source" -> hashOn = "client-address";
			case "uri" -> hashOn = "path";
			default -> {
				if (!algorithm.matches("hdr\\([A-Za-z0-9-]+\\)")) {
					throw new NotConvertible("balance " + algorithm + " has no Junction equivalent yet");
				}
				hashOn = "header:" + algorithm.substring(4, algorithm.length() - 1);
			}
		}
		if (hashOn != null) {
			this.pool.settings().put("balance", "hash");
			this.pool.settings().put("hash-on", hashOn);
		}
		else {
			this.pool.settings().remove("hash-on");
		}
	}

	private void cookie(Line line) throws NotConvertible {
		List<String> options = line.after(2);
		if (!options.contains("insert") || !Set.of("insert", "indirect", "nocache").containsAll(options)) {
			throw new NotConvertible("cookie converts only as 'cookie <name> insert [indirect] [nocache]'");
		}
		this.pool.settings().put("sticky.cookie", line.word(1));
	}

	private void option(Line line) throws NotConvertible {
		switch (line.word(1)) {
			// Junction always redispatches a failed connection, and always sets
			// X-Forwarded-For.
			case "redispatch", "forwardfor" -> {
			}
			case "allbackups" -> this.pool.settings().put("all-backups", true);
			case "httpchk" -> {
				// option httpchk [<method>] [<uri> [<version>]]: Junction checks with
				// GET.
				List<String> arguments = line.after(2);
				String path = (arguments.size() == 1) ? arguments.get(0)
						: (arguments.size() > 1) ? arguments.get(1) : "/";
				if (arguments.size() > 2 && !arguments.get(2).matches("HTTP/1\\.[01]")) {
					throw new NotConvertible("option httpchk with check headers has no Junction equivalent yet");
				}
				if (!path.startsWith("/")) {
					throw new NotConvertible("option httpchk: the path must start with /");
				}
				this.httpCheck = line;
				this.pool.settings().put("health-check.path", path);
			}
			default -> throw new NotConvertible("option " + line.word(1) + " has no Junction equivalent yet");
		}
	}

	private static int number(Line line, String value) throws NotConvertible {
		if (!value.matches("[0-9]{1,9}")) {
			throw new NotConvertible(line.keyword() + ": '" + value + "' is not a number");
		}
		return Integer.parseInt(value);
	}

	private ServerLine server(Line line) throws NotConvertible {
		if (line.size() < 3) {
			throw new NotConvertible("a server needs a name and an address");
		}
		Map<String, String> parameters = new LinkedHashMap<>(this.defaultServer);
		parameters.putAll(parameters(line, line.after(3)));
		boolean https = parameters.containsKey("ssl");
		String url = (https ? "https://" : "http://") + address(line.word(2));
		Map<String, Object> options = new LinkedHashMap<>();
		if (parameters.containsKey("weight")) {
			options.put("weight", number(line, parameters.get("weight")));
		}
		if (parameters.containsKey("backup")) {
			options.put("backup", true);
		}
		if (parameters.containsKey("maxconn")) {
			options.put("max-connections", number(line, parameters.get("maxconn")));
		}
		if (parameters.containsKey("disabled")) {
			// The nearest Junction has: out of rotation, though still checked.
			options.put("weight", 0);
			this.losses.add(line, "disabled (MAINT at start-up) is written as weight 0: Junction has no key for"
					+ " a server's initial admin state (waits for: an initial MAINT state)");
		}
		this.pool.servers().add(new Server(line.word(1), url, options));
		return new ServerLine(line, parameters);
	}

	// host:port or [v6]:port; HAProxy also takes ports from the client, ranges, and unix
	// sockets, which Junction has no equivalent for.
	private static String address(String address) throws NotConvertible {
		if (address.startsWith("ipv4@")) {
			address = address.substring(5);
		}
		int colon = address.lastIndexOf(':');
		if (colon <= 0 || !address.substring(colon + 1).matches("[0-9]{1,5}") || address.contains("@")) {
			throw new NotConvertible("server address '" + address + "' has no fixed port");
		}
		String host = address.substring(0, colon);
		if (host.contains(":") && !host.startsWith("[")) {
			host = "[" + host + "]";
		}
		return host + address.substring(colon);
	}

	private Map<String, String> parameters(Line line, List<String> words) throws NotConvertible {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (int i = 0; i < words.size(); i++) {
			String name = words.get(i);
			if (SERVER_FLAGS.contains(name)) {
				parameters.put(name, "");
			}
			else if (name.equals("no-check")) {
				parameters.remove("check");
			}
			else if (i + 1 < words.size()) {
				parameters.put(name, words.get(++i));
			}
			else {
				throw new NotConvertible("server parameter " + name + " needs a value");
			}
		}
		return parameters;
	}

	// Junction checks, balances and verifies a pool as a whole: the first server's
	// settings are the pool's, and a server that differs is listed.
	private void finish() {
		for (Map.Entry<String, Line> timeout : this.timeouts.entrySet()) {
			String key = switch (timeout.getKey()) {
				case "connect" -> "connect-timeout";
				case "server" -> "response-timeout";
				case "queue" -> "queue-timeout";
				default -> "health-check.timeout";
			};
			try {
				this.pool.settings().put(key, HaproxyDurations.duration(timeout.getValue().word(2)));
			}
			catch (NotConvertible ex) {
				throw new IllegalStateException(ex);
			}
		}
		if (this.servers.isEmpty()) {
			this.pool.settings().remove("health-check.path");
			this.pool.settings().remove("health-check.timeout");
			return;
		}
		Map<String, String> first = this.servers.get(0).parameters();
		boolean checked = first.containsKey("check");
		for (ServerLine server : this.servers) {
			if (server.parameters().containsKey("check") != checked) {
				this.losses.add(server.line(),
						"Junction checks all servers of a pool or none: the first server"
								+ (checked ? " is" : " is not") + " checked, this one" + (checked ? " is not" : " is")
								+ " (waits for: per-server health checks)");
			}
			unconverted(server);
			sameAsFirst(server, first, "inter", "rise", "fall", "slowstart", "verify", "ca-file", "sni");
		}
		Map<String, Object> settings = this.pool.settings();
		if (!checked) {
			settings.remove("health-check.path");
			settings.remove("health-check.timeout");
			settings.put("health-check.enabled", false);
			unused(this.httpCheck, "option httpchk without 'check' on the servers checks nothing");
			unused(this.expectStatus, "http-check without 'check' on the servers checks nothing");
		}
		else {
			putDuration(first, "inter", "health-check.interval");
			putNumber(first, "rise", "health-check.rise");
			putNumber(first, "fall", "health-check.fall");
			if (this.expectStatus != null) {
				settings.put("health-check.expect-status", this.expectStatus.word(3));
			}
			checkTimeoutShorterThanInterval();
		}
		putDuration(first, "slowstart", "slow-start");
		if (first.containsKey("ca-file")) {
			settings.put("tls.ca-bundle", first.get("ca-file"));
		}
		if ("none".equals(first.get("verify"))) {
			settings.put("tls.insecure-skip-verify", true);
		}
		if (first.containsKey("sni")) {
			this.losses.add(this.servers.get(0).line(), "sni takes a sample expression; set" + " junction.backends."
					+ this.pool.name() + ".tls.server-name to the name it gives");
		}
	}

	private void unconverted(ServerLine server) {
		if (server.parameters().containsKey("cookie") && !this.pool.settings().containsKey("sticky.cookie")) {
			this.losses.add(server.line(),
					"cookie without 'cookie <name> insert' in the backend has no Junction" + " equivalent");
		}
		for (String name : server.parameters().keySet()) {
			if (!Set
				.of("check", "backup", "disabled", "ssl", "enabled", "weight", "maxconn", "inter", "rise", "fall",
						"slowstart", "verify", "ca-file", "sni", "cookie", "fastinter", "downinter")
				.contains(name)) {
				this.losses.add(server.line(), "server parameter " + name + " has no Junction equivalent yet");
			}
		}
		for (String interval : List.of("fastinter", "downinter")) {
			String value = server.parameters().get(interval);
			if (value != null && !value.equals(server.parameters().getOrDefault("inter", "2s"))) {
				this.losses.add(server.line(), interval + " has no Junction equivalent: Junction checks every"
						+ " server at the same interval (waits for: " + interval + ")");
			}
		}
	}

	private void sameAsFirst(ServerLine server, Map<String, String> first, String... names) {
		for (String name : names) {
			String value = server.parameters().get(name);
			if ((value == null) ? first.containsKey(name) : !value.equals(first.get(name))) {
				this.losses.add(server.line(), name + " differs from the first server's, which Junction takes for"
						+ " the whole pool (waits for: per-server " + name + ")");
			}
		}
	}

	private void putDuration(Map<String, String> parameters, String name, String key) {
		String value = parameters.get(name);
		if (value == null) {
			return;
		}
		try {
			this.pool.settings().put(key, HaproxyDurations.duration(value));
		}
		catch (NotConvertible ex) {
			this.losses.add(this.servers.get(0).line(), name + ": " + ex.getMessage());
		}
	}

	private void putNumber(Map<String, String> parameters, String name, String key) {
		String value = parameters.get(name);
		if (value == null) {
			return;
		}
		try {
			this.pool.settings().put(key, number(this.servers.get(0).line(), value));
		}
		catch (NotConvertible ex) {
			this.losses.add(this.servers.get(0).line(), ex.getMessage());
		}
	}

	// HAProxy lets a check last up to inter when timeout check is unset; Junction needs a
	// timeout shorter than its interval, and its default (1s) is not below an interval
	// of 1s or less: such a pool gets a timeout just below its interval.
	private void checkTimeoutShorterThanInterval() {
		Object timeout = this.pool.settings().get("health-check.timeout");
		Object interval = this.pool.settings().getOrDefault("health-check.interval", "2s");
		long intervalMillis = HaproxyDurations.millis((String) interval);
		if (timeout == null && intervalMillis <= 1000 && intervalMillis > 1) {
			this.pool.settings().put("health-check.timeout", (intervalMillis - 1) + "ms");
		}
		else if (timeout != null && HaproxyDurations.millis((String) timeout) >= intervalMillis) {
			this.pool.settings().remove("health-check.timeout");
			this.losses.add(this.timeouts.get("check"),
					"timeout check must be shorter than the check interval (" + interval + ") in Junction");
		}
	}

	private void unused(@Nullable Line line, String reason) {
		if (line != null) {
			this.losses.add(line, reason);
		}
	}

	/** A server line with its parameters, default-server's included. */
	private record ServerLine(Line line, Map<String, String> parameters) {

	}

}

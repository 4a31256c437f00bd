package io.junction.pools;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.junction.ConfigurationProblem;
import io.junction.InvalidConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Builds a {@link BackendPools} snapshot from {@link PoolsProperties}: where pool
 * configuration is checked, so that any bad value is refused with a message that names
 * its key, at start-up and on every later swap alike. A server that the previous snapshot
 * has with the same pool, name and URL is kept as it is, with its health, counters and
 * admin state.
 */
final class PoolsBuilder {

	// The most a server's max-connections or a pool's queue-size may be.
	private static final int MAX_QUEUE_OR_CONNECTIONS = 100_000;

	// A pool name becomes the host of an lb:// URI, so it must be a valid host name;
	// java.net.URI gives no host at all for names with '_' (common in haproxy.cfg).
	private static final Pattern POOL_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");

	private static final Pattern HOST_NAME = Pattern
		.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

	private PoolsBuilder() {
	}

	/**
	 * Every pool of {@code properties}, version {@code version}, keeping the servers of
	 * {@code previous} that are configured again unchanged.
	 * @throws InvalidConfigurationException naming the first bad key
	 */
	static BackendPools build(PoolsProperties properties, BackendPools previous, long version) {
		return build(properties, Map.of(), previous, version);
	}

	/**
	 * Every pool of {@code properties} with the servers {@code discovered} for its DNS
	 * name, if it has one, after those configured.
	 * @throws InvalidConfigurationException naming the first bad key
	 */
	static BackendPools build(PoolsProperties properties, Map<String, List<InetSocketAddress>> discovered,
			BackendPools previous, long version) {
		// Checked whole first, so that building, which updates the weights of kept
		// servers, never stops half-way.
		List<ConfigurationProblem> problems = check(properties);
		if (!problems.isEmpty()) {
			throw new InvalidConfigurationException(problems);
		}
		Map<String, Pool> pools = new LinkedHashMap<>();
		properties.getBackends()
			.forEach((name, pool) -> pools.put(name,
					build(name, pool, discovered.getOrDefault(name, List.of()), previous.get(name))));
		return new BackendPools(version, pools);
	}

	/**
	 * Every problem of {@code properties}: the first of each pool, since a pool's later
	 * keys are checked only once its earlier ones hold.
	 */
	static List<ConfigurationProblem> check(PoolsProperties properties) {
		List<ConfigurationProblem> problems = new ArrayList<>();
		properties.getBackends().forEach((name, pool) -> {
			try {
				build(name, pool, List.of(), null);
			}
			catch (InvalidConfigurationException ex) {
				problems.addAll(ex.getProblems());
			}
		});
		return problems;
	}

	private static Pool build(String name, PoolsProperties.Pool pool, List<InetSocketAddress> discovered,
			@Nullable Pool before) {
		String key = PoolsProperties.PREFIX + ".backends." + name;
		if (!POOL_NAME.matcher(name).matches()) {
			throw new InvalidConfigurationException(key, "pool name '" + name
					+ "' is not a host name (use letters, digits and '-', so that lb://" + name + " works)");
		}
		List<PoolsProperties.Server> servers = pool.getServers();
		DiscoverySettings discovery = discovery(key + ".discovery", pool.getDiscovery());
		if (servers.isEmpty() && discovery == null) {
			throw new InvalidConfigurationException(key + ".servers",
					"pool '" + name + "' has no servers; list at least one");
		}
		Map<String, Integer> indexByName = new HashMap<>();
		PoolServer[] built = new PoolServer[servers.size() + discovered.size()];
		int[] limits = new int[built.length];
		for (int i = 0; i < servers.size(); i++) {
			String serverKey = key + ".servers[" + i + "]";
			PoolsProperties.Server server = servers.get(i);
			String serverName = server.getName();
			if (serverName == null || serverName.isBlank()) {
				throw new InvalidConfigurationException(serverKey + ".name", "every server needs a name");
			}
			Integer previous = indexByName.putIfAbsent(serverName, i);
			if (previous != null) {
				throw new InvalidConfigurationException(serverKey + ".name", "server name '" + serverName
						+ "' is used twice in pool '" + name + "' (also servers[" + previous + "])");
			}
			URI uri = serverUri(serverKey + ".url", server.getUrl());
			int weight = weight(serverKey + ".weight", server.getWeight());
			Integer ownLimit = server.getMaxConnections();
			int maxConnections = (ownLimit != null) ? maxConnections(serverKey + ".max-connections", ownLimit)
					: maxConnections(key + ".max-connections", pool.getMaxConnections());
			PoolServer kept = (before != null) ? before.server(serverName) : null;
			// A server that becomes or stops being a backup is a new one: its role is
			// part
			// of what the balancers read without a lock.
			if (kept != null && kept.getUri().equals(uri) && kept.isBackup() == server.isBackup()) {
				kept.state().configureWeight(weight);
				built[i] = kept;
			}
			else {
				built[i] = new PoolServer(name, serverName, uri, weight, false, server.isBackup());
			}
			limits[i] = maxConnections;
		}
		HealthCheckSettings healthCheck = healthCheck(key + ".health-check", pool.getHealthCheck());
		for (int i = 0; i < discovered.size(); i++) {
			built[servers.size() + i] = discovered(name, discovery, discovered.get(i), before, healthCheck);
			limits[servers.size() + i] = maxConnections(key + ".max-connections", pool.getMaxConnections());
		}
		int queueSize = queueSize(key + ".queue-size", pool.getQueueSize());
		Duration queueTimeout = queueTimeout(key + ".queue-timeout", pool.getQueueTimeout());
		Duration slowStart = slowStart(key + ".slow-start", pool.getSlowStart());
		if (before != null && !slowStart.isZero()) {
			// A server added to a running pool ramps up like one that came UP; at
			// start-up none does, as in HAProxy, or a restart would slow every server.
			// One held DOWN until its first check ramps once that check passes.
			long now = System.nanoTime();
			for (PoolServer server : built) {
				if (before.servers().indexOf(server) < 0 && server.state().isUp()) {
					server.state().startRamp(now);
				}
			}
		}
		// Only now that every key holds: a kept server and queue take their new limits.
		for (int i = 0; i < built.length; i++) {
			built[i].configureMaxConnections(limits[i]);
		}
		PoolQueue queue = (before != null) ? before.queue() : new PoolQueue();
		queue.configure(queueSize, queueTimeout);
		return new Pool(name, List.of(built), healthCheck, passiveCheck(key + ".passive-check", pool.getPassiveCheck()),
				retry(key, pool), millis(key + ".connect-timeout", pool.getConnectTimeout()),
				positive(key + ".response-timeout", pool.getResponseTimeout()),
				optionalPositive(key + ".try-timeout", pool.getTryTimeout()),
				maxRequestBody(key + ".max-request-body", pool.getMaxRequestBody()), pool.getOnDown(),
				connectionPool(key + ".connection-pool", pool.getConnectionPool()), tls(key + ".tls", pool.getTls()),
				protocol(key + ".protocol", pool.getProtocol(), built, discovery), pool.getBalance(),
				HashSettings.of(key, pool.getHashOn(), pool.getHashBalanceFactor()),
				StickySettings.of(key, pool.getSticky()), pool.isAllBackups(), slowStart, queue, discovery);
	}

	// A server found in DNS: named after the name and the address, kept while DNS gives
	// the address again, and checked before it takes traffic.
	private static PoolServer discovered(String pool, @Nullable DiscoverySettings discovery, InetSocketAddress address,
			@Nullable Pool before, HealthCheckSettings healthCheck) {
		if (discovery == null) {
			throw new IllegalStateException("servers discovered for pool " + pool + ", which has no discovery");
		}
		String host = address.getAddress().getHostAddress();
		String authority = ((address.getAddress() instanceof Inet6Address) ? "[" + host + "]" : host) + ":"
				+ address.getPort();
		String serverName = discovery.name() + "@" + authority;
		URI uri = URI.create(discovery.scheme() + "://" + authority);
		PoolServer kept = (before != null) ? before.server(serverName) : null;
		if (kept != null && kept.getUri().equals(uri)) {
			return kept;
		}
		PoolServer server = new PoolServer(pool, serverName, uri, 1, true);
		if (healthCheck.enabled()) {
			server.state().awaitCheck();
		}
		return server;
	}

	// HTTP/2 in clear text cannot reach an https server, nor h2 a plain one.
	private static ServerProtocol protocol(String key, ServerProtocol protocol, PoolServer[] servers,
			@Nullable DiscoverySettings discovery) {
		if (protocol == ServerProtocol.HTTP1) {
			return protocol;
		}
		String scheme = (protocol == ServerProtocol.H2) ? "https" : "http";
		List<String> schemes = new ArrayList<>();
		for (PoolServer server : servers) {
			schemes.add(server.getUri().getScheme());
		}
		if (discovery != null) {
			schemes.add(discovery.scheme());
		}
		for (String found : schemes) {
			if (!scheme.equals(found)) {
				throw new InvalidConfigurationException(key,
						protocol.name().toLowerCase(java.util.Locale.ROOT) + " needs " + scheme
								+ " server URLs, and a server's is " + found + ": use "
								+ ((protocol == ServerProtocol.H2) ? "h2c" : "h2") + " for " + found + " servers");
			}
		}
		return protocol;
	}

	private static TlsSettings tls(String key, PoolsProperties.Tls tls) {
		String serverName = tls.getServerName();
		if (serverName != null && !HOST_NAME.matcher(serverName).matches()) {
			throw new InvalidConfigurationException(key + ".server-name",
					"'" + serverName + "' is not a host name, such as app.internal.example.com");
		}
		String caBundle = tls.getCaBundle();
		if (caBundle == null) {
			return (serverName == null && !tls.isInsecureSkipVerify()) ? TlsSettings.DEFAULT
					: new TlsSettings(null, List.of(), serverName, tls.isInsecureSkipVerify());
		}
		if (tls.isInsecureSkipVerify()) {
			throw new InvalidConfigurationException(key + ".insecure-skip-verify",
					"cannot be true with a ca-bundle: either verify against the bundle, or not at all");
		}
		Path file = Path.of(caBundle.startsWith("file:") ? caBundle.substring("file:".length()) : caBundle);
		List<X509Certificate> authorities = new ArrayList<>();
		try (InputStream in = Files.newInputStream(file)) {
			for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
				authorities.add((X509Certificate) certificate);
			}
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException(key + ".ca-bundle", "cannot read " + file + ": " + ex);
		}
		catch (CertificateException ex) {
			throw new InvalidConfigurationException(key + ".ca-bundle",
					file + " holds no PEM certificate: " + ex.getMessage());
		}
		if (authorities.isEmpty()) {
			throw new InvalidConfigurationException(key + ".ca-bundle", file + " holds no PEM certificate");
		}
		return new TlsSettings(file, authorities, serverName, false);
	}

	private static @Nullable DiscoverySettings discovery(String key, PoolsProperties.@Nullable Discovery discovery) {
		if (discovery == null) {
			return null;
		}
		String name = discovery.getDns();
		if (name == null || name.isBlank()) {
			throw new InvalidConfigurationException(key + ".dns",
					"discovery needs a DNS name, such as app.ns.svc.cluster.local");
		}
		name = name.trim();
		Integer port = discovery.getPort();
		int checkedPort = 0;
		if (!name.startsWith("_")) {
			if (port == null) {
				throw new InvalidConfigurationException(key + ".port", "the servers of " + name
						+ " need a port (or look up SRV records, such as _http._tcp." + name + ", which give it)");
			}
			if (port < 1 || port > 65535) {
				throw new InvalidConfigurationException(key + ".port", port + " must be from 1 to 65535");
			}
			checkedPort = port;
		}
		String scheme = discovery.getScheme();
		if (!"http".equals(scheme) && !"https".equals(scheme)) {
			throw new InvalidConfigurationException(key + ".scheme", "'" + scheme + "' is not http or https");
		}
		return new DiscoverySettings(name, checkedPort, millis(key + ".interval", discovery.getInterval()), scheme);
	}

	private static HealthCheckSettings healthCheck(String key, PoolsProperties.HealthCheck check) {
		Duration interval = positive(key + ".interval", check.getInterval());
		Duration timeout = positive(key + ".timeout", check.getTimeout());
		if (timeout.compareTo(interval) >= 0) {
			throw new InvalidConfigurationException(key + ".timeout",
					timeout + " must be shorter than interval " + interval + ", so that checks never overlap");
		}
		String path = check.getPath();
		if (path != null && !path.startsWith("/")) {
			throw new InvalidConfigurationException(key + ".path", "'" + path + "' must start with '/'");
		}
		ExpectedStatus expectStatus;
		try {
			expectStatus = ExpectedStatus.parse(check.getExpectStatus());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException(key + ".expect-status", ex.getMessage());
		}
		return new HealthCheckSettings(check.isEnabled(), path, interval, timeout,
				atLeastOne(key + ".rise", check.getRise()), atLeastOne(key + ".fall", check.getFall()), expectStatus);
	}

	private static PassiveCheckSettings passiveCheck(String key, PoolsProperties.PassiveCheck check) {
		return new PassiveCheckSettings(check.isEnabled(),
				atLeastOne(key + ".consecutive-errors", check.getConsecutiveErrors()),
				positive(key + ".eject-time", check.getEjectTime()), check.isLayer7(),
				percent(key + ".max-ejected-percent", check.getMaxEjectedPercent()));
	}

	private static RetryPolicy retry(String key, PoolsProperties.Pool pool) {
		if (pool.getRetries() < 0) {
			throw new InvalidConfigurationException(key + ".retries", pool.getRetries() + " must be 0 or more");
		}
		Set<RetryPolicy.RetryOn> on = EnumSet.noneOf(RetryPolicy.RetryOn.class);
		for (String keyword : pool.getRetryOn()) {
			RetryPolicy.RetryOn condition = RetryPolicy.RetryOn.fromKeyword(keyword.trim());
			if (condition == null) {
				throw new InvalidConfigurationException(key + ".retry-on", "'" + keyword
						+ "' is not one of conn-failure, empty-response, response-timeout, junk-response, 502, 503, 504");
			}
			on.add(condition);
		}
		long buffer = pool.getRetryBuffer().toBytes();
		if (buffer < 0 || buffer > Integer.MAX_VALUE) {
			throw new InvalidConfigurationException(key + ".retry-buffer",
					pool.getRetryBuffer() + " must be between 0 and 2GB");
		}
		return new RetryPolicy(pool.getRetries(), on, (int) buffer);
	}

	private static int maxConnections(String key, int value) {
		if (value < 0 || value > MAX_QUEUE_OR_CONNECTIONS) {
			throw new InvalidConfigurationException(key,
					value + " must be from 0 (no limit) to " + MAX_QUEUE_OR_CONNECTIONS);
		}
		return value;
	}

	private static int queueSize(String key, int value) {
		if (value < 0 || value > MAX_QUEUE_OR_CONNECTIONS) {
			throw new InvalidConfigurationException(key,
					value + " must be from 0 (no request waits) to " + MAX_QUEUE_OR_CONNECTIONS);
		}
		return value;
	}

	private static Duration queueTimeout(String key, @Nullable Duration value) {
		Duration timeout = millis(key, value);
		if (timeout.compareTo(Duration.ofHours(1)) > 0) {
			throw new InvalidConfigurationException(key, value + " must be from 1ms to 1h, such as 5s");
		}
		return timeout;
	}

	private static Duration slowStart(String key, @Nullable Duration value) {
		if (value == null) {
			return Duration.ZERO;
		}
		if (value.isNegative() || value.compareTo(Duration.ofHours(1)) > 0) {
			throw new InvalidConfigurationException(key, value + " must be from 0 (no slow start) to 1h, such as 30s");
		}
		return value;
	}

	private static Duration positive(String key, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationException(key, value + " must be positive");
		}
		return value;
	}

	/** A timeout handed to Netty in whole milliseconds: at least 1ms, at most an int. */
	private static Duration millis(String key, @Nullable Duration value) {
		Duration positive = positive(key, value);
		if (positive.toMillis() < 1 || positive.toMillis() > Integer.MAX_VALUE) {
			throw new InvalidConfigurationException(key, value + " must be between 1ms and 24 days");
		}
		return positive;
	}

	private static @Nullable Duration optionalPositive(String key, @Nullable Duration value) {
		return (value != null) ? millis(key, value) : null;
	}

	private static @Nullable Long maxRequestBody(String key, @Nullable DataSize size) {
		if (size == null) {
			return null;
		}
		if (size.toBytes() < 1) {
			throw new InvalidConfigurationException(key, size + " must be at least 1B; leave it out for any size");
		}
		return size.toBytes();
	}

	private static ConnectionPoolSettings connectionPool(String key, PoolsProperties.ConnectionPool pool) {
		return new ConnectionPoolSettings(atLeastOne(key + ".max-connections", pool.getMaxConnections()),
				positive(key + ".max-idle-time", pool.getMaxIdleTime()));
	}

	private static int percent(String key, int value) {
		if (value < 0 || value > 100) {
			throw new InvalidConfigurationException(key, value + " must be from 0 to 100");
		}
		return value;
	}

	private static int atLeastOne(String key, int value) {
		if (value < 1) {
			throw new InvalidConfigurationException(key, value + " must be 1 or more");
		}
		return value;
	}

	private static int weight(String key, int weight) {
		if (weight < 0 || weight > Rotation.MAX_WEIGHT) {
			throw new InvalidConfigurationException(key,
					weight + " must be from 0 to " + Rotation.MAX_WEIGHT + " (0 sends the server no new requests)");
		}
		return weight;
	}

	private static URI serverUri(String key, @Nullable String url) {
		if (url == null || url.isBlank()) {
			throw new InvalidConfigurationException(key, "every server needs a url, such as http://10.0.0.1:8080");
		}
		URI uri;
		try {
			uri = new URI(url.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidConfigurationException(key, "'" + url + "' is not a URL: " + ex.getMessage());
		}
		if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
			throw new InvalidConfigurationException(key,
					"'" + url + "' is not an absolute http(s) URL, such as http://10.0.0.1:8080");
		}
		if (uri.getHost() == null) {
			throw new InvalidConfigurationException(key, "'" + url + "' has no valid host");
		}
		boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
				&& uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
		if (!bare) {
			throw new InvalidConfigurationException(key,
					"'" + url + "' must name only scheme, host and port; rewrite paths in the route (RewritePath)");
		}
		return uri;
	}

}

package io.junction.pools;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Backend pools, one per HAProxy {@code backend}. Checked when {@link PoolRegistry}
 * builds them, which refuses a bad value naming its key.
 */
@ConfigurationProperties(PoolsProperties.PREFIX)
public class PoolsProperties {

	/** Prefix of the pool properties. */
	public static final String PREFIX = "junction";

	/**
	 * Pools by name (HAProxy {@code backend <name>}). A route reaches a pool through
	 * {@code uri: lb://<name>}; names are host names: letters, digits and '-'.
	 */
	private Map<String, Pool> backends = new LinkedHashMap<>();

	public Map<String, Pool> getBackends() {
		return this.backends;
	}

	public void setBackends(Map<String, Pool> backends) {
		this.backends = backends;
	}

	/** One pool of identical app servers. */
	public static class Pool {

		/**
		 * The pool's servers (HAProxy {@code server} lines); at least one, unless
		 * {@code discovery} finds them.
		 */
		private List<Server> servers = new ArrayList<>();

		/**
		 * Servers found in DNS, besides or instead of {@code servers} (HAProxy
		 * {@code server-template} with {@code resolvers}).
		 */
		private @Nullable Discovery discovery;

		/** Active health checks of every server (HAProxy {@code check}). */
		private HealthCheck healthCheck = new HealthCheck();

		/**
		 * Ejection of servers whose real traffic fails (HAProxy {@code observe} with
		 * {@code on-error mark-down}).
		 */
		private PassiveCheck passiveCheck = new PassiveCheck();

		/**
		 * How many times a failed request is tried again on another server of the pool
		 * (HAProxy {@code retries} with {@code option redispatch}). Default 2.
		 */
		private int retries = 2;

		/**
		 * Which failures are retried (HAProxy {@code retry-on}): conn-failure (always,
		 * whatever the method, since nothing was sent), and for idempotent methods only
		 * empty-response, response-timeout, junk-response (a response refused for its
		 * framing), 502, 503, 504. Default conn-failure, empty-response,
		 * response-timeout, 502, 503.
		 */
		private List<String> retryOn = new ArrayList<>(
				List.of("conn-failure", "empty-response", "response-timeout", "502", "503"));

		/**
		 * Largest request body kept to resend it on a retry after it was sent; a longer
		 * body is streamed and its request not retried once sent. Default 64KB.
		 */
		private DataSize retryBuffer = DataSize.ofKilobytes(64);

		/**
		 * Maximum time to open a connection (HAProxy {@code timeout connect}). Default
		 * 2s.
		 */
		private Duration connectTimeout = Duration.ofSeconds(2);

		/**
		 * Maximum time a request waits for its response's headers, all tries together
		 * (HAProxy {@code timeout server}; Envoy's route {@code timeout}). Default 30s.
		 */
		private Duration responseTimeout = Duration.ofSeconds(30);

		/**
		 * Maximum time one try waits for a response's headers before it fails as
		 * response-timeout and, where retry-on allows, is tried on another server (Envoy
		 * {@code per_try_timeout}). Default none: a try may take the whole
		 * response-timeout.
		 */
		private @Nullable Duration tryTimeout;

		/**
		 * Largest request body the pool's routes take (HAProxy {@code http-request deny
		 * deny_status 413 if { req.body_size gt N }}); a larger one gets 413 and reaches
		 * no server. Default none: any size. A route's metadata max-request-body
		 * overrides it.
		 */
		private @Nullable DataSize maxRequestBody;

		/**
		 * What happens to the requests in flight to a server when its checks mark it DOWN
		 * or eject it: cancel (retried elsewhere where retry-on allows, else 502) or wait
		 * (HAProxy {@code on-marked-down shutdown-sessions}). Default cancel.
		 */
		private OnDown onDown = OnDown.CANCEL;

		/** How connections to the pool's servers are kept. */
		private ConnectionPool connectionPool = new ConnectionPool();

		/** How the pool's https servers are verified. */
		private Tls tls = new Tls();

		/**
		 * The HTTP version spoken to the servers: http1, h2c (HTTP/2 in clear text, http
		 * URLs) or h2 (HTTP/2 over TLS, https URLs), HAProxy {@code proto h2}. gRPC
		 * servers need h2c or h2. Default http1.
		 */
		private ServerProtocol protocol = ServerProtocol.HTTP1;

		/**
		 * How the server of each request is picked among those that may take it:
		 * round-robin (HAProxy {@code balance roundrobin}), least-connections (the less
		 * loaded of two servers drawn by weight, load being requests in flight over
		 * weight; HAProxy {@code balance leastconn}) or random (by weight; HAProxy
		 * {@code balance random}) or hash (consistent hashing on {@code hash-on} with
		 * bounded loads; HAProxy {@code balance uri|hdr|source} with
		 * {@code hash-type consistent}). Every one honours the servers' weights. Default
		 * round-robin.
		 */
		private Balance balance = Balance.ROUND_ROBIN;

		/**
		 * What {@code balance: hash} hashes: path (the path the server receives, HAProxy
		 * {@code balance uri}), header:NAME (HAProxy {@code balance hdr(NAME)}),
		 * cookie:NAME, or client-address (behind trusted proxies the client they name;
		 * HAProxy {@code balance source}). A request without the header or cookie goes to
		 * a server at random. Default path.
		 */
		private String hashOn = "path";

		/**
		 * With {@code balance: hash}, the most requests in flight one server may hold, as
		 * a multiple of its weighted share of all of them (bounded loads; Envoy's
		 * {@code hash_balance_factor}); beyond it a key goes to the next server on the
		 * ring. 1.0 to 100. Default 1.25.
		 */
		private double hashBalanceFactor = 1.25;

		/**
		 * Sticky sessions by cookie (HAProxy {@code cookie <name> insert indirect
		 * nocache}): off unless {@code sticky.cookie} names the cookie.
		 */
		private Sticky sticky = new Sticky();

		public Sticky getSticky() {
			return this.sticky;
		}

		public void setSticky(Sticky sticky) {
			this.sticky = sticky;
		}

		/**
		 * Whether every backup server that may take a request shares the requests by
		 * weight once no normal server may, rather than only the first backup in
		 * configuration order (HAProxy {@code option allbackups}). Default false.
		 */
		private boolean allBackups;

		/**
		 * How long a server that comes UP (its active checks pass after it was DOWN) or
		 * that a reload or DNS adds takes to ramp its effective weight up, linearly, from
		 * 1/20 of its weight to all of it (HAProxy {@code slowstart}). Servers up when
		 * Junction starts take their full weight at once. 0 to 1h. Default none.
		 */
		private @Nullable Duration slowStart;

		/**
		 * The most requests each server of the pool may have in flight at once (HAProxy
		 * {@code maxconn} on {@code default-server}); a server's own
		 * {@code max-connections} overrides it. Beyond it, requests wait in the pool's
		 * queue. 0 for no limit, up to 100000. Default 0.
		 */
		private int maxConnections;

		/**
		 * The most requests that may wait in the pool's queue for a server under its
		 * {@code max-connections}; one more is answered 503 at once. 0 to 100000; 0 lets
		 * none wait. Default 1000.
		 */
		private int queueSize = 1000;

		/**
		 * The longest a request waits in the pool's queue for a server before it is
		 * answered 503 (HAProxy {@code timeout queue}). 1ms to 1h. Default 5s.
		 */
		private Duration queueTimeout = Duration.ofSeconds(5);

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getQueueSize() {
			return this.queueSize;
		}

		public void setQueueSize(int queueSize) {
			this.queueSize = queueSize;
		}

		public Duration getQueueTimeout() {
			return this.queueTimeout;
		}

		public void setQueueTimeout(Duration queueTimeout) {
			this.queueTimeout = queueTimeout;
		}

		public @Nullable Duration getSlowStart() {
			return this.slowStart;
		}

		public void setSlowStart(@Nullable Duration slowStart) {
			this.slowStart = slowStart;
		}

		public boolean isAllBackups() {
			return this.allBackups;
		}

		public void setAllBackups(boolean allBackups) {
			this.allBackups = allBackups;
		}

		public Balance getBalance() {
			return this.balance;
		}

		public String getHashOn() {
			return this.hashOn;
		}

		public void setHashOn(String hashOn) {
			this.hashOn = hashOn;
		}

		public double getHashBalanceFactor() {
			return this.hashBalanceFactor;
		}

		public void setHashBalanceFactor(double hashBalanceFactor) {
			this.hashBalanceFactor = hashBalanceFactor;
		}

		public void setBalance(Balance balance) {
			this.balance = balance;
		}

		public ServerProtocol getProtocol() {
			return this.protocol;
		}

		public void setProtocol(ServerProtocol protocol) {
			this.protocol = protocol;
		}

		public List<Server> getServers() {
			return this.servers;
		}

		public void setServers(List<Server> servers) {
			this.servers = servers;
		}

		public @Nullable Discovery getDiscovery() {
			return this.discovery;
		}

		public void setDiscovery(@Nullable Discovery discovery) {
			this.discovery = discovery;
		}

		public HealthCheck getHealthCheck() {
			return this.healthCheck;
		}

		public void setHealthCheck(HealthCheck healthCheck) {
			this.healthCheck = healthCheck;
		}

		public PassiveCheck getPassiveCheck() {
			return this.passiveCheck;
		}

		public void setPassiveCheck(PassiveCheck passiveCheck) {
			this.passiveCheck = passiveCheck;
		}

		public int getRetries() {
			return this.retries;
		}

		public void setRetries(int retries) {
			this.retries = retries;
		}

		public List<String> getRetryOn() {
			return this.retryOn;
		}

		public void setRetryOn(List<String> retryOn) {
			this.retryOn = retryOn;
		}

		public DataSize getRetryBuffer() {
			return this.retryBuffer;
		}

		public void setRetryBuffer(DataSize retryBuffer) {
			this.retryBuffer = retryBuffer;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getResponseTimeout() {
			return this.responseTimeout;
		}

		public void setResponseTimeout(Duration responseTimeout) {
			this.responseTimeout = responseTimeout;
		}

		public @Nullable Duration getTryTimeout() {
			return this.tryTimeout;
		}

		public void setTryTimeout(@Nullable Duration tryTimeout) {
			this.tryTimeout = tryTimeout;
		}

		public @Nullable DataSize getMaxRequestBody() {
			return this.maxRequestBody;
		}

		public void setMaxRequestBody(@Nullable DataSize maxRequestBody) {
			this.maxRequestBody = maxRequestBody;
		}

		public OnDown getOnDown() {
			return this.onDown;
		}

		public void setOnDown(OnDown onDown) {
			this.onDown = onDown;
		}

		public ConnectionPool getConnectionPool() {
			return this.connectionPool;
		}

		public Tls getTls() {
			return this.tls;
		}

		public void setTls(Tls tls) {
			this.tls = tls;
		}

		public void setConnectionPool(ConnectionPool connectionPool) {
			this.connectionPool = connectionPool;
		}

	}

	/**
	 * Sticky sessions: a cookie that names the server of a client's first request, so
	 * that its next requests go to the same server while it may take them.
	 */
	public static class Sticky {

		/**
		 * Name of the cookie that names the client's server (HAProxy
		 * {@code cookie <name>}); its value is an opaque token of the pool's and the
		 * server's names, never the server's address. Default none: no sticky sessions.
		 */
		private @Nullable String cookie;

		/**
		 * How the cookie is kept: insert (Junction sets it on the response that chose a
		 * new server, with {@code Cache-Control: private}, and removes it from the
		 * requests sent to the servers; HAProxy {@code insert indirect nocache}). Default
		 * insert.
		 */
		private StickyMode mode = StickyMode.INSERT;

		public @Nullable String getCookie() {
			return this.cookie;
		}

		public void setCookie(@Nullable String cookie) {
			this.cookie = cookie;
		}

		public StickyMode getMode() {
			return this.mode;
		}

		public void setMode(StickyMode mode) {
			this.mode = mode;
		}

	}

	/**
	 * TLS to the pool's {@code https} servers (HAProxy {@code ssl verify required
	 * ca-file}), for traffic and health checks alike.
	 */
	public static class Tls {

		/**
		 * PEM file of the certificate authorities that the servers' certificates must
		 * chain to (HAProxy {@code ca-file}); the JVM's trust store when unset.
		 */
		private @Nullable String caBundle;

		/**
		 * Name sent as SNI and checked against the servers' certificates (HAProxy
		 * {@code sni} and {@code verifyhost}); the host of each server's URL when unset.
		 */
		private @Nullable String serverName;

		/**
		 * Accepts any certificate (HAProxy {@code ssl verify none}): for test setups
		 * only.
		 */
		private boolean insecureSkipVerify;

		public @Nullable String getCaBundle() {
			return this.caBundle;
		}

		public void setCaBundle(@Nullable String caBundle) {
			this.caBundle = caBundle;
		}

		public @Nullable String getServerName() {
			return this.serverName;
		}

		public void setServerName(@Nullable String serverName) {
			this.serverName = serverName;
		}

		public boolean isInsecureSkipVerify() {
			return this.insecureSkipVerify;
		}

		public void setInsecureSkipVerify(boolean insecureSkipVerify) {
			this.insecureSkipVerify = insecureSkipVerify;
		}

	}

	/** The pool's own HTTP client: its connections to each server. */
	public static class ConnectionPool {

		/**
		 * Most connections open to one server at once; a request beyond them waits for a
		 * free one (HAProxy {@code maxconn} on a {@code server}, without its queue).
		 * Default 1024.
		 */
		private int maxConnections = 1024;

		/**
		 * How long an unused connection stays open for the next request (HAProxy
		 * {@code pool-purge-delay}). Keep it below the app servers' own keep-alive
		 * timeout, so that Junction, not the server, closes an idle connection. Default
		 * 30s.
		 */
		private Duration maxIdleTime = Duration.ofSeconds(30);

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public Duration getMaxIdleTime() {
			return this.maxIdleTime;
		}

		public void setMaxIdleTime(Duration maxIdleTime) {
			this.maxIdleTime = maxIdleTime;
		}

	}

	/** Active health checks, with HAProxy's semantics. */
	public static class HealthCheck {

		/** Whether servers are checked at all. Default true. */
		private boolean enabled = true;

		/**
		 * Path of an HTTP GET check, starting with '/'; none means a TCP connect check
		 * (HAProxy {@code option httpchk GET <path>}; plain {@code check}).
		 */
		private @Nullable String path;

		/** Time between two checks of a server (HAProxy {@code inter}). Default 2s. */
		private Duration interval = Duration.ofSeconds(2);

		/**
		 * Maximum time of one check, shorter than the interval (HAProxy
		 * {@code timeout check}). Default 1s.
		 */
		private Duration timeout = Duration.ofSeconds(1);

		/**
		 * Consecutive successful checks that bring a server UP (HAProxy {@code rise}).
		 * Default 2.
		 */
		private int rise = 2;

		/**
		 * Consecutive failed checks that take a server DOWN (HAProxy {@code fall}).
		 * Default 3.
		 */
		private int fall = 3;

		/**
		 * HTTP statuses that pass the check: a status, a range, or a comma-separated list
		 * of them (HAProxy {@code http-check expect status}). Default 200-399.
		 */
		private String expectStatus = "200-399";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public int getRise() {
			return this.rise;
		}

		public void setRise(int rise) {
			this.rise = rise;
		}

		public int getFall() {
			return this.fall;
		}

		public void setFall(int fall) {
			this.fall = fall;
		}

		public String getExpectStatus() {
			return this.expectStatus;
		}

		public void setExpectStatus(String expectStatus) {
			this.expectStatus = expectStatus;
		}

	}

	/** Passive checks: outlier ejection on real traffic. */
	public static class PassiveCheck {

		/** Whether failing servers are ejected. Default true. */
		private boolean enabled = true;

		/** Consecutive failed requests that eject a server. Default 3. */
		private int consecutiveErrors = 3;

		/**
		 * How long an ejected server gets no traffic before it is tried again. Default
		 * 10s.
		 */
		private Duration ejectTime = Duration.ofSeconds(10);

		/**
		 * Whether 5xx responses count as failures too, besides refused or reset
		 * connections and timeouts (HAProxy {@code observe layer7}). Default false.
		 */
		private boolean layer7;

		/**
		 * Most servers of the pool that passive checks may keep ejected at once, as a
		 * percent of its servers, from 0 to 100 (Envoy {@code max_ejection_percent}); a
		 * server that fails while the pool is at its cap stays in rotation, and is
		 * ejected on its next failure once another's ejection has ended. Above 0, one
		 * server may always be ejected, however small the pool; 0 ejects none. Default
		 * 50.
		 */
		private int maxEjectedPercent = 50;

		public int getMaxEjectedPercent() {
			return this.maxEjectedPercent;
		}

		public void setMaxEjectedPercent(int maxEjectedPercent) {
			this.maxEjectedPercent = maxEjectedPercent;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getConsecutiveErrors() {
			return this.consecutiveErrors;
		}

		public void setConsecutiveErrors(int consecutiveErrors) {
			this.consecutiveErrors = consecutiveErrors;
		}

		public Duration getEjectTime() {
			return this.ejectTime;
		}

		public void setEjectTime(Duration ejectTime) {
			this.ejectTime = ejectTime;
		}

		public boolean isLayer7() {
			return this.layer7;
		}

		public void setLayer7(boolean layer7) {
			this.layer7 = layer7;
		}

	}

	/**
	 * Servers of a pool found in DNS and looked up again on an interval: each address is
	 * a server, checked before it gets traffic.
	 */
	public static class Discovery {

		/**
		 * The name to look up: its A and AAAA records, or, for a name that starts with
		 * {@code _} (such as {@code _http._tcp.app.ns.svc.cluster.local}), its SRV
		 * records, which give the ports too.
		 */
		private @Nullable String dns;

		/** Port of the servers of an A/AAAA name; SRV records give their own. */
		private @Nullable Integer port;

		/** Time between two lookups (HAProxy {@code hold valid}). */
		private Duration interval = Duration.ofSeconds(5);

		/** How the servers are spoken to: http or https. */
		private String scheme = "http";

		public @Nullable String getDns() {
			return this.dns;
		}

		public void setDns(@Nullable String dns) {
			this.dns = dns;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public String getScheme() {
			return this.scheme;
		}

		public void setScheme(String scheme) {
			this.scheme = scheme;
		}

	}

	/** One app server of a pool. */
	public static class Server {

		/** Name of the server, unique in its pool (HAProxy {@code server <name>}). */
		private @Nullable String name;

		/**
		 * Absolute http or https URL of the server, host and optional port, no path
		 * (HAProxy {@code server <name> <address>:<port>}).
		 */
		private @Nullable String url;

		/**
		 * Share of new requests against the pool's other servers, from 0 to 256; 0 sends
		 * the server no new requests (HAProxy {@code weight}). Default 1.
		 */
		private int weight = 1;

		/**
		 * Whether the server is a backup (HAProxy {@code backup}): it takes requests only
		 * when no normal server of the pool may (every one DOWN, ejected, out of rotation
		 * or already failed by the request), and then only the first backup that may,
		 * unless the pool sets {@code all-backups}. Ejected normal servers are not tried
		 * in panic mode while a backup may take the request. Default false.
		 */
		private boolean backup;

		/**
		 * The most requests this server may have in flight at once (HAProxy
		 * {@code maxconn}), in place of the pool's {@code max-connections}; beyond it,
		 * requests wait in the pool's queue. 0 for no limit, up to 100000.
		 */
		private @Nullable Integer maxConnections;

		public @Nullable Integer getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(@Nullable Integer maxConnections) {
			this.maxConnections = maxConnections;
		}

		public boolean isBackup() {
			return this.backup;
		}

		public void setBackup(boolean backup) {
			this.backup = backup;
		}

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public int getWeight() {
			return this.weight;
		}

		public void setWeight(int weight) {
			this.weight = weight;
		}

	}

}

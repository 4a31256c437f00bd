package io.junction.proxy;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;

import io.junction.framing.StrictResponseFraming;
import io.junction.pools.ConnectionPoolSettings;
import io.junction.pools.Pool;
import io.junction.pools.TlsSettings;
import io.netty.channel.ChannelOption;
import io.junction.pools.ServerProtocol;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.tcp.SslProvider.GenericSslContextSpec;
import reactor.netty.resources.ConnectionProvider;

/**
 * A pool's own HTTP client: its connections to the pool's servers (a connection pool of
 * its own, so that one pool's load cannot starve another of connections), its connect
 * timeout, and later its TLS trust. Traffic uses it; health checks use its configuration
 * with a fresh connection per check.
 */
final class PoolClient {

	/** When a new connection started connecting, until its first try reads it. */
	static final AttributeKey<Long> CONNECT_STARTED = AttributeKey.valueOf(PoolClient.class, "connectStarted");

	private final Key key;

	private final ConnectionProvider connections;

	private final HttpClient client;

	private final HttpClient checkClient;

	// Keyed by a route's connect-timeout metadata, as configured: a handful at most.
	private final Map<Object, HttpClient> byRouteConnectTimeout = new ConcurrentHashMap<>();

	private PoolClient(Key key) {
		this.key = key;
		this.connections = ConnectionProvider.builder("junction-" + key.pool())
			.maxConnections(key.connectionPool().maxConnections())
			.maxIdleTime(key.connectionPool().maxIdleTime())
			// Unbounded: a request waits for a connection rather than fail; its response
			// timeout bounds the wait.
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(Duration.ofMillis(Integer.MAX_VALUE))
			.build();
		boolean http1 = key.protocol() == ServerProtocol.HTTP1;
		this.client = configure(HttpClient.create(this.connections), key)
			.doOnChannelInit((observer, channel, address) -> {
				channel.attr(CONNECT_STARTED).set(System.nanoTime());
				if (http1) {
					// Every new connection, TLS or not: its HTTP/1.1 codec is in place by
					// now. HTTP/2's binary framing Netty checks itself.
					StrictResponseFraming.addTo(channel.pipeline());
				}
			});
		this.checkClient = configure(HttpClient.create(ConnectionProvider.newConnection()), key)
			.headers((headers) -> headers.set("User-Agent", "Junction-health-check"));
	}

	static PoolClient of(Pool pool) {
		return new PoolClient(Key.of(pool));
	}

	// Reactor Netty's own event loops, which the traffic port's server runs on too
	// (Spring
	// Boot's default), so that a request and its tries stay on one thread.
	private static HttpClient configure(HttpClient client, Key key) {
		HttpClient configured = client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
				(int) key.connectTimeout().toMillis());
		TlsSettings tls = key.tls();
		if (key.protocol() == ServerProtocol.H2C) {
			// Prior knowledge: the connection's first bytes are HTTP/2's preface.
			return configured.protocol(HttpProtocol.H2C);
		}
		if (key.protocol() == ServerProtocol.H2) {
			// Only h2 is offered by ALPN: a server that cannot speak it fails the
			// handshake, rather than silently getting HTTP/1.1.
			configured = configured.protocol(HttpProtocol.H2);
		}
		if (tls.equals(TlsSettings.DEFAULT) && key.protocol() == ServerProtocol.HTTP1) {
			// Reactor Netty's own: the JVM's trust store, the host name verified.
			return configured;
		}
		GenericSslContextSpec<?> context = sslContext(tls, key.protocol());
		String serverName = tls.serverName();
		// Only https URLs use it: http ones stay plain.
		return configured.secure((spec) -> {
			var provider = spec.sslContext(context);
			if (serverName != null) {
				provider.serverNames(new SNIHostName(serverName));
			}
			if (!tls.insecureSkipVerify()) {
				provider.handlerConfigurator((handler) -> {
					SSLParameters parameters = handler.engine().getSSLParameters();
					// The JDK checks the SNI name, or else the URL's host.
					parameters.setEndpointIdentificationAlgorithm("HTTPS");
					handler.engine().setSSLParameters(parameters);
				});
			}
		});
	}

	// Reactor Netty's HTTP/2 spec adds ALPN for h2; the plain one offers none.
	private static GenericSslContextSpec<?> sslContext(TlsSettings tls, ServerProtocol protocol) {
		java.util.function.Consumer<SslContextBuilder> trust = (builder) -> {
			builder.protocols("TLSv1.3", "TLSv1.2");
			if (tls.insecureSkipVerify()) {
				builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
			}
			else if (!tls.authorities().isEmpty()) {
				builder.trustManager(tls.authorities().toArray(X509Certificate[]::new));
			}
		};
		return (protocol == ServerProtocol.H2) ? Http2SslContextSpec.forClient().configure(trust)
				: Http11SslContextSpec.forClient().configure(trust);
	}

	/** Whether this client still serves {@code pool} as configured now. */
	boolean serves(Pool pool) {
		return this.key.equals(Key.of(pool));
	}

	/** The client for traffic, with the route's own connect timeout if it sets one. */
	HttpClient traffic(@Nullable Object routeConnectTimeout) {
		if (routeConnectTimeout == null) {
			return this.client;
		}
		HttpClient client = this.byRouteConnectTimeout.get(routeConnectTimeout);
		if (client == null) {
			client = this.byRouteConnectTimeout.computeIfAbsent(routeConnectTimeout, (timeout) -> this.client
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(Metadata.millis(timeout))));
		}
		return client;
	}

	/** The client for health checks: a fresh connection per check, as HAProxy does. */
	HttpClient checks() {
		return this.checkClient;
	}

	/** Closes the connections to one server, which the pool no longer has. */
	void close(java.net.SocketAddress server) {
		this.connections.disposeWhen(server);
	}

	/** Closes the pool's connections, once they are no longer in use. */
	void close() {
		this.connections.disposeLater().subscribe();
	}

	/**
	 * What a pool's client is built from: a new client only when one of these changes.
	 */
	private record Key(String pool, java.time.Duration connectTimeout, ConnectionPoolSettings connectionPool,
			TlsSettings tls, ServerProtocol protocol) {

		static Key of(Pool pool) {
			return new Key(pool.name(), pool.connectTimeout(), pool.connectionPool(), pool.tls(), pool.protocol());
		}

	}

}

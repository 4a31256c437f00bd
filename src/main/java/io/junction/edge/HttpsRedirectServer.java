package io.junction.edge;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

import org.springframework.context.SmartLifecycle;

/**
 * The plain port of {@code junction.http-redirect.port}: every request gets 308 Permanent
 * Redirect to the same host and path on https, which keeps the method and body, so that a
 * POST is not turned into a GET as a 301 would have it.
 */
final class HttpsRedirectServer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(HttpsRedirectServer.class);

	private static final int HTTPS_DEFAULT_PORT = 443;

	// Null when no plain port is configured: then it never listens.
	private final @Nullable Integer port;

	private final int httpsPort;

	private final @Nullable LoopResources loops;

	private volatile @Nullable DisposableServer server;

	HttpsRedirectServer(@Nullable Integer port, int httpsPort, @Nullable LoopResources loops) {
		this.port = port;
		this.httpsPort = httpsPort;
		this.loops = loops;
	}

	@Override
	public void start() {
		if (this.port == null) {
			return;
		}
		HttpServer server = HttpServer.create().port(this.port).handle(this::redirect);
		if (this.loops != null) {
			server = server.runOn(this.loops);
		}
		DisposableServer bound = server.bindNow();
		this.server = bound;
		logger.info("Redirecting plain HTTP on port " + bound.port() + " to https");
	}

	@Override
	public void stop() {
		DisposableServer bound = this.server;
		if (bound != null) {
			bound.disposeNow();
			this.server = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	/** The port it listens on, or -1 when stopped. */
	int port() {
		DisposableServer bound = this.server;
		return (bound != null) ? bound.port() : -1;
	}

	private Mono<Void> redirect(HttpServerRequest request, HttpServerResponse response) {
		String host = hostWithoutPort(request.requestHeaders().get(HttpHeaderNames.HOST));
		if (host == null) {
			return response.status(HttpResponseStatus.BAD_REQUEST)
				.header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
				.sendString(Mono.just("a Host header is needed to redirect to https\n"))
				.then();
		}
		String port = (this.httpsPort == HTTPS_DEFAULT_PORT) ? "" : ":" + this.httpsPort;
		// Origin form only: an absolute-form request target is sent to the root.
		String target = request.uri().startsWith("/") ? request.uri() : "/";
		return response.status(HttpResponseStatus.PERMANENT_REDIRECT)
			.header(HttpHeaderNames.LOCATION, "https://" + host + port + target)
			.header(HttpHeaderNames.CONTENT_LENGTH, "0")
			.send();
	}

	// The host of a Host header: a name, an IPv4 address or a bracketed IPv6 one,
	// without its port; null when there is none or it holds anything else.
	static @Nullable String hostWithoutPort(@Nullable String header) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String host = header.trim();
		if (host.startsWith("[")) {
			int end = host.indexOf(']');
			host = (end > 0) ? host.substring(0, end + 1) : "";
		}
		else if (host.indexOf(':') >= 0) {
			host = host.substring(0, host.indexOf(':'));
		}
		return host.matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]") ? host : null;
	}

}

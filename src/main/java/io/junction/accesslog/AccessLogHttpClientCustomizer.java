package io.junction.accesslog;

import io.netty.util.AttributeKey;
import reactor.netty.http.client.HttpClient;

import org.springframework.cloud.gateway.config.HttpClientCustomizer;

/**
 * Times the gateway's connections to the servers. A new connection notes when it started
 * connecting on its channel; when a request is about to be sent on a connection, the
 * request's entry (found in the Reactor context that the HTTP client carries) takes the
 * time, and the connect start if this connection is new. The response's headers mark the
 * server's response time.
 */
final class AccessLogHttpClientCustomizer implements HttpClientCustomizer {

	private static final AttributeKey<Long> CONNECT_STARTED = AttributeKey.valueOf(AccessLogHttpClientCustomizer.class,
			"connectStarted");

	@Override
	public HttpClient customize(HttpClient httpClient) {
		return httpClient
			.doOnChannelInit((observer, channel, address) -> channel.attr(CONNECT_STARTED).set(System.nanoTime()))
			.doOnRequest((request, connection) -> {
				AccessLogEntry entry = AccessLogEntry.of(request.currentContextView());
				if (entry != null) {
					// Only the first request on a new connection finds the connect start.
					entry.connectionReady(System.nanoTime(),
							connection.channel().attr(CONNECT_STARTED).getAndSet(null));
				}
			})
			.doOnResponse((response, connection) -> {
				AccessLogEntry entry = AccessLogEntry.of(response.currentContextView());
				if (entry != null) {
					entry.responseStarted(System.nanoTime());
				}
			});
	}

}

package io.junction.proxy;

import java.util.Map;

import io.netty.handler.codec.http.HttpHeaders;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * The trailers a server sends after its response body, passed on after the body Junction
 * writes to the client: over HTTP/2 always, over HTTP/1.1 when the response is chunked
 * (Reactor Netty's rule). gRPC's {@code grpc-status} and {@code grpc-message} are
 * trailers, so without this no gRPC call could end.
 */
final class ServerTrailers {

	private static final Log logger = LogFactory.getLog(ServerTrailers.class);

	private volatile @Nullable HttpHeaders received;

	private ServerTrailers() {
	}

	/**
	 * Arranges for the trailers of {@code fromServer} to follow the body of
	 * {@code toClient}.
	 */
	static void relay(HttpClientResponse fromServer, ServerHttpResponse toClient) {
		Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(toClient);
		if (!(nativeResponse instanceof HttpServerResponse server)) {
			return;
		}
		ServerTrailers trailers = new ServerTrailers();
		// Known once the server's last piece of body arrived, which is before Junction
		// writes its own last piece.
		fromServer.trailerHeaders().subscribe((headers) -> trailers.received = headers);
		server.trailerHeaders(trailers::copyTo);
	}

	private void copyTo(HttpHeaders sent) {
		HttpHeaders received = this.received;
		if (received == null) {
			return;
		}
		for (Map.Entry<String, String> trailer : received) {
			try {
				sent.add(trailer.getKey(), trailer.getValue());
			}
			catch (IllegalArgumentException ex) {
				// A field that must not be a trailer (framing, routing, content type):
				// left out, not the whole trailer section with it.
				if (logger.isDebugEnabled()) {
					logger.debug("Trailer left out: " + trailer.getKey(), ex);
				}
			}
		}
	}

}

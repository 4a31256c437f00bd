package io.junction.proxy;

import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ResponseStatusException;

/**
 * gRPC as the proxy sees it: requests of content type {@code application/grpc} (or
 * {@code application/grpc+<codec>}), which need HTTP/2 end to end because their status
 * travels in trailers and their messages stream both ways. gRPC-Web
 * ({@code application/grpc-web}) is made for HTTP/1.1 and is not gRPC here.
 */
final class Grpc {

	/** The header (or, after a body, the trailer) that carries a call's status. */
	static final String STATUS = "grpc-status";

	private static final String TYPE = "application/grpc";

	private Grpc() {
	}

	/** Whether {@code contentType} is gRPC's. */
	static boolean isGrpc(@Nullable String contentType) {
		if (contentType == null || !contentType.regionMatches(true, 0, TYPE, 0, TYPE.length())) {
			return false;
		}
		if (contentType.length() == TYPE.length()) {
			return true;
		}
		char next = contentType.charAt(TYPE.length());
		return next == '+' || next == ';' || next == ' ';
	}

	/**
	 * The refusal of a gRPC request that came over HTTP/1.x, where gRPC cannot work; null
	 * for any other request.
	 */
	static @Nullable ResponseStatusException refusalOf(ServerHttpRequest request) {
		if (!isGrpc(request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE))) {
			return null;
		}
		Object nativeRequest = ClientAddress.nativeRequest(request);
		if (!(nativeRequest instanceof HttpServerRequest server) || server.version().majorVersion() >= 2) {
			return null;
		}
		return new ResponseStatusException(HttpStatus.UPGRADE_REQUIRED,
				"gRPC needs HTTP/2 (h2 over TLS, or h2c); this request came over " + server.version().text());
	}

}

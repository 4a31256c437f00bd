package io.junction.proxy;

import java.util.List;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ResponseStatusException;

/**
 * One WebSocket session through Junction (HAProxy's tunnel mode after a 101): the
 * server's side is opened first, with the client's handshake headers and subprotocols;
 * only once the server switched protocols does the client get its 101, with the
 * subprotocol the server chose. From then on frames go both ways as they come, pings and
 * pongs included, until one side closes: its close code and reason go to the other side,
 * and the first side to close is the one the access log names.
 */
final class WebSocketTunnel {

	/**
	 * The largest frame either side may send: a browser sends a message as one frame, so
	 * this is the largest message too. Larger frames close the session with 1009.
	 */
	static final int MAX_FRAME_BYTES = 1024 * 1024;

	private static final String HEADER_PREFIX = "sec-websocket-";

	private static final String PROTOCOL = "Sec-WebSocket-Protocol";

	// Sent when a side drops its connection without a close frame, and on shutdown.
	private static final WebSocketCloseStatus GOING_AWAY = WebSocketCloseStatus.ENDPOINT_UNAVAILABLE;

	private final Attempt attempt;

	private final WebSocketSessions sessions;

	private final WebsocketInbound serverIn;

	private final WebsocketOutbound serverOut;

	private final Sinks.Empty<Void> over = Sinks.empty();

	private volatile @Nullable WebsocketOutbound clientOut;

	WebSocketTunnel(Attempt attempt, WebSocketSessions sessions, WebsocketInbound serverIn,
			WebsocketOutbound serverOut) {
		this.attempt = attempt;
		this.sessions = sessions;
		this.serverIn = serverIn;
		this.serverOut = serverOut;
	}

	/** Whether the request asks to switch to WebSocket (RFC 6455 4.1). */
	static boolean isUpgrade(ServerHttpRequest request) {
		if (request.getMethod() != HttpMethod.GET) {
			return false;
		}
		String upgrade = request.getHeaders().getFirst(HttpHeaders.UPGRADE);
		return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket");
	}

	/**
	 * Why an upgrade request cannot be passed on, or null: one the server would have to
	 * refuse anyway, checked before a server is tied up with it.
	 */
	static @Nullable ResponseStatusException refusalOf(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		if (!StringUtils.hasText(headers.getFirst("Sec-WebSocket-Key"))) {
			return new ResponseStatusException(HttpStatus.BAD_REQUEST, "WebSocket upgrade without Sec-WebSocket-Key");
		}
		if (!"13".equals(headers.getFirst("Sec-WebSocket-Version"))) {
			return new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"WebSocket upgrade needs Sec-WebSocket-Version 13");
		}
		return null;
	}

	/** How the server's side is opened: the client's subprotocols, pings passed on. */
	static WebsocketClientSpec serverSpec(ServerHttpRequest request) {
		List<String> protocols = request.getHeaders().get(PROTOCOL);
		WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder()
			.handlePing(true)
			.maxFramePayloadLength(MAX_FRAME_BYTES);
		if (protocols != null && !protocols.isEmpty()) {
			spec.protocols(String.join(",", protocols));
		}
		return spec.build();
	}

	/**
	 * Whether a client's handshake header goes on to the server: the handshake's own
	 * headers are the server side's to make, and extensions (compression) are not
	 * offered, since frames pass through as they are.
	 */
	static boolean isHandshakeHeader(String name) {
		return name.regionMatches(true, 0, HEADER_PREFIX, 0, HEADER_PREFIX.length());
	}

	/** Removes the handshake headers of one side, which the other side makes its own. */
	static void removeHandshakeHeaders(io.netty.handler.codec.http.HttpHeaders headers) {
		for (String name : List.copyOf(headers.names())) {
			if (isHandshakeHeader(name)) {
				headers.remove(name);
			}
		}
	}

	/**
	 * Switches the client's connection to WebSocket and splices it to the server's;
	 * completes when the session is over.
	 */
	Mono<Void> splice(ServerHttpResponse response, io.netty.handler.codec.http.HttpHeaders serverHeaders,
			ProxyHeaders headers) {
		response.setStatusCode(HttpStatus.SWITCHING_PROTOCOLS);
		HttpHeaders sent = response.getHeaders();
		headers.toClient(serverHeaders, sent);
		for (String name : List.copyOf(sent.headerNames())) {
			if (isHandshakeHeader(name)) {
				sent.remove(name);
			}
		}
		HttpServerResponse nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
		WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder()
			.handlePing(true)
			.maxFramePayloadLength(MAX_FRAME_BYTES);
		String subprotocol = this.serverIn.selectedSubprotocol();
		if (subprotocol != null) {
			spec.protocols(subprotocol);
		}
		// Committing first runs the response's before-commit actions and puts its
		// headers into the 101, as Spring's own upgrade does.
		return response.setComplete()
			.then(Mono.defer(() -> nativeResponse.sendWebsocket(this::clientSide, spec.build())))
			.onErrorResume((error) -> {
				closeServerSide(GOING_AWAY);
				this.over.tryEmitEmpty();
				return Mono.error(error);
			})
			.then(this.over.asMono());
	}

	/** The session, on the client's connection: runs until both sides are closed. */
	private Mono<Void> clientSide(WebsocketInbound clientIn, WebsocketOutbound clientOut) {
		this.clientOut = clientOut;
		if (!this.sessions.add(this)) {
			// Junction stopped while the handshakes were under way.
			drain();
		}
		Mono<Void> toServer = this.serverOut.sendObject(clientIn.receiveFrames().map((frame) -> {
			this.attempt.clientFrame(frame.content().readableBytes());
			return (WebSocketFrame) frame.retain();
		})).then();
		Mono<Void> toClient = clientOut.sendObject(this.serverIn.receiveFrames().map((frame) -> {
			this.attempt.serverFrame(frame.content().readableBytes());
			return (WebSocketFrame) frame.retain();
		})).then();
		Mono<Void> clientClosed = clientIn.receiveCloseStatus().defaultIfEmpty(GOING_AWAY).flatMap((status) -> {
			this.attempt.sessionEnded(Termination.CLIENT_CLOSED);
			return close(this.serverOut, status);
		});
		Mono<Void> serverClosed = this.serverIn.receiveCloseStatus().defaultIfEmpty(GOING_AWAY).flatMap((status) -> {
			this.attempt.sessionEnded(Termination.SERVER_CLOSED);
			return close(clientOut, status);
		});
		return Mono.when(quietly(toServer), quietly(toClient), quietly(clientClosed), quietly(serverClosed))
			.doFinally((signal) -> {
				this.sessions.remove(this);
				this.over.tryEmitEmpty();
			});
	}

	/** Completes when the session is over: the server's side is held open until then. */
	Mono<Void> over() {
		return this.over.asMono();
	}

	/**
	 * The request is over: a server side that never got its client (the request failed or
	 * went away before the switch) is closed.
	 */
	void finish() {
		if (this.clientOut == null && this.over.tryEmitEmpty().isSuccess()) {
			closeServerSide(GOING_AWAY);
		}
	}

	/** Closes both sides with 1001 (going away): Junction is stopping. */
	void drain() {
		this.attempt.sessionEnded(Termination.DRAINED);
		WebsocketOutbound clientOut = this.clientOut;
		if (clientOut != null) {
			close(clientOut, GOING_AWAY).subscribe(null, (error) -> {
			});
		}
		closeServerSide(GOING_AWAY);
	}

	private void closeServerSide(WebSocketCloseStatus status) {
		close(this.serverOut, status).subscribe(null, (error) -> {
		});
	}

	/**
	 * Sends {@code status} on; a status that may not be sent (1005 none given, 1006
	 * dropped) becomes a close frame without a code.
	 */
	private static Mono<Void> close(WebsocketOutbound out, WebSocketCloseStatus status) {
		int code = status.code();
		if (code == WebSocketCloseStatus.EMPTY.code() || code == WebSocketCloseStatus.ABNORMAL_CLOSURE.code()
				|| !WebSocketCloseStatus.isValidStatusCode(code)) {
			return out.sendClose();
		}
		return out.sendClose(code, status.reasonText());
	}

	// A side that is gone fails its writes: the session ends all the same.
	private static Mono<Void> quietly(Mono<Void> step) {
		return step.onErrorResume((error) -> Mono.empty());
	}

}

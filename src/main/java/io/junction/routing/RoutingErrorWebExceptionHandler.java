package io.junction.routing;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.junction.proxy.UpstreamException;
import io.junction.proxy.UpstreamFailure;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers every request that fails on the traffic port with a short plain-text body that
 * says what happened and on which route: 404 when no route matches, 503 when no server of
 * the pool can be reached, 504 when the server does not answer in time, 502 when it hangs
 * up before answering. Never a stack trace, never an HTML page, never a server's address.
 */
final class RoutingErrorWebExceptionHandler implements ErrorWebExceptionHandler {

	private static final Log logger = LogFactory.getLog(RoutingErrorWebExceptionHandler.class);

	private static final MediaType TEXT_PLAIN_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			// Headers are gone already: the only honest signal left is to break the
			// connection.
			return Mono.error(ex);
		}
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		HttpStatusCode status;
		String detail;
		UpstreamFailure failure = UpstreamFailure.of(ex);
		if (failure != null) {
			status = failure.status();
			detail = failure.clientText((ex instanceof UpstreamException upstream) ? upstream.pool() : pool(route));
		}
		else if (ex instanceof ResponseStatusException statusException) {
			status = statusException.getStatusCode();
			detail = detail(status, route, exchange, statusException);
		}
		else {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
			detail = "internal error";
			logger.error("Unexpected error on " + describe(route) + " for " + exchange.getRequest().getMethod() + " "
					+ exchange.getRequest().getPath(), ex);
		}
		if (logger.isDebugEnabled()) {
			logger.debug(describe(route) + ": " + status.value() + " " + detail, ex);
		}
		String body = status.value() + " " + reasonPhrase(status) + ": "
				+ ((route != null) ? "route '" + route.getId() + "': " : "") + detail + "\n";
		response.setStatusCode(status);
		response.getHeaders().setContentType(TEXT_PLAIN_UTF8);
		DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
		response.getHeaders().setContentLength(buffer.readableByteCount());
		return response.writeWith(Mono.just(buffer));
	}

	private static String detail(HttpStatusCode status, @Nullable Route route, ServerWebExchange exchange,
			ResponseStatusException ex) {
		if (status.value() == HttpStatus.NOT_FOUND.value() && route == null) {
			return "no route matches " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath();
		}
		if (status.value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
			// A route to a plain URL that did not answer within Gateway's response
			// timeout.
			return UpstreamFailure.RESPONSE_TIMEOUT.clientText(pool(route));
		}
		String reason = ex.getReason();
		return (reason != null) ? reason : reasonPhrase(status).toLowerCase();
	}

	/** The pool of a route to one, or null. */
	private static @Nullable String pool(@Nullable Route route) {
		URI uri = (route != null) ? route.getUri() : null;
		return (uri != null && "lb".equals(uri.getScheme())) ? uri.getHost() : null;
	}

	private static String describe(@Nullable Route route) {
		return (route != null) ? "route '" + route.getId() + "'" : "no route";
	}

	private static String reasonPhrase(HttpStatusCode status) {
		HttpStatus known = HttpStatus.resolve(status.value());
		return (known != null) ? known.getReasonPhrase() : "Error";
	}

}

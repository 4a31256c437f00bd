package io.junction.accesslog;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.util.context.Context;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.adapter.HttpWebHandlerAdapter;

/**
 * Wraps the traffic port's whole request handling, error pages included: starts each
 * request's {@link AccessLogEntry}, counts the body bytes both ways, puts the entry in
 * the request's Reactor context for the filters and the HTTP client, and hands it to the
 * writer once the response is complete or the client has gone.
 */
final class AccessLogHttpHandlerDecorator implements HttpHandlerDecoratorFactory, ApplicationContextAware {

	private final AccessLogWriter writer;

	// Set before the web server's handler is built, which is when apply is called.
	private @Nullable ApplicationContext context;

	AccessLogHttpHandlerDecorator(AccessLogWriter writer) {
		this.writer = writer;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		// The management port's context builds its handler with this bean too: its
		// requests are not traffic.
		if (handler instanceof HttpWebHandlerAdapter adapter && adapter.getApplicationContext() != this.context) {
			return handler;
		}
		return (request, response) -> {
			AccessLogEntry entry = new AccessLogEntry(System.nanoTime(), request);
			return handler.handle(new CountingRequest(request, entry), new CountingResponse(response, entry))
				.contextWrite(Context.of(AccessLogEntry.CONTEXT_KEY, entry))
				.doFinally((signal) -> {
					entry.finished(System.nanoTime(), response.getStatusCode(), response.isCommitted(),
							signal == SignalType.CANCEL);
					this.writer.offer(entry);
				});
		};
	}

	/** Counts the request body's bytes as the gateway reads them. */
	private static final class CountingRequest extends ServerHttpRequestDecorator {

		private final AccessLogEntry entry;

		CountingRequest(ServerHttpRequest delegate, AccessLogEntry entry) {
			super(delegate);
			this.entry = entry;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return super.getBody().doOnNext(this.entry::received);
		}

	}

	/** Counts the response body's bytes as they are written to the client. */
	private static final class CountingResponse extends ServerHttpResponseDecorator {

		private final AccessLogEntry entry;

		CountingResponse(ServerHttpResponse delegate, AccessLogEntry entry) {
			super(delegate);
			this.entry = entry;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			// A Mono stays a Mono: the server writes a single buffer with less work.
			Publisher<? extends DataBuffer> counted = (body instanceof Mono<? extends DataBuffer> mono)
					? mono.doOnNext(this.entry::sent) : Flux.from(body).doOnNext(this.entry::sent);
			return super.writeWith(counted).doOnError(this.entry::writeFailed);
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return super.writeAndFlushWith(Flux.from(body).map((chunk) -> Flux.from(chunk).doOnNext(this.entry::sent)))
				.doOnError(this.entry::writeFailed);
		}

	}

}

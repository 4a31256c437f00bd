package io.junction.proxy;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * A request whose body can be sent a second time, as long as it fits in a bounded buffer.
 * A body whose Content-Length fits is read whole before the first send
 * ({@link #readAll()}, HAProxy's {@code option http-buffer-request}): a server that fails
 * the request while it is still arriving cannot leave it half copied. Any other body is
 * streamed through on the first send while a copy is kept; a longer body stops being
 * copied, and then the request can no longer be retried once sent. Heap copies keep
 * Netty's reference counting out of the replays.
 */
final class ReplayableBodyRequest extends ServerHttpRequestDecorator {

	private final int limit;

	private final DataBufferFactory bufferFactory;

	private final List<byte[]> copies = new ArrayList<>();

	private int copiedBytes;

	private volatile boolean subscribed;

	private volatile boolean complete;

	private volatile boolean overflowed;

	ReplayableBodyRequest(ServerHttpRequest delegate, int limit, DataBufferFactory bufferFactory) {
		super(delegate);
		this.limit = limit;
		this.bufferFactory = bufferFactory;
	}

	/**
	 * Whether the body is short enough, by its Content-Length, to be read whole first.
	 */
	boolean fitsWhole() {
		long length = getHeaders().getContentLength();
		return length >= 0 && length <= this.limit;
	}

	/**
	 * Reads the whole body into the copy before it is sent, so that every send replays
	 * it. Only for a body that {@link #fitsWhole()}.
	 */
	Mono<Void> readAll() {
		this.subscribed = true;
		return super.getBody().doOnNext((buffer) -> {
			copy(buffer);
			DataBufferUtils.release(buffer);
		}).doOnComplete(() -> this.complete = true).then();
	}

	/** Whether {@link #getBody()} can give the whole body (again). */
	boolean canReplay() {
		return !this.subscribed || (this.complete && !this.overflowed);
	}

	@Override
	public Flux<DataBuffer> getBody() {
		if (!this.subscribed) {
			this.subscribed = true;
			return super.getBody().doOnNext(this::copy).doOnComplete(() -> this.complete = true);
		}
		if (!canReplay()) {
			return Flux.error(new IllegalStateException("request body was streamed and cannot be sent again"));
		}
		return Flux.fromIterable(this.copies).map(this.bufferFactory::wrap);
	}

	private void copy(DataBuffer buffer) {
		if (this.overflowed) {
			return;
		}
		int length = buffer.readableByteCount();
		if (this.copiedBytes + length > this.limit) {
			this.overflowed = true;
			this.copies.clear();
			return;
		}
		byte[] bytes = new byte[length];
		buffer.toByteBuffer(buffer.readPosition(), java.nio.ByteBuffer.wrap(bytes), 0, length);
		this.copies.add(bytes);
		this.copiedBytes += length;
	}

}

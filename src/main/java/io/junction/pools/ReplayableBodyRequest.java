package io.junction.pools;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * A request whose body can be sent a second time, as long as it fits in a bounded buffer.
 * The first send streams the body through unchanged and keeps a heap copy of it; a longer
 * body stops being copied, and then the request can no longer be retried once sent. Heap
 * copies keep Netty's reference counting out of it: nothing here needs releasing.
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

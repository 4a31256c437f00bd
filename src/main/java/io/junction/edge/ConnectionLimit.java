package io.junction.edge;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.jspecify.annotations.Nullable;

/**
 * Holds the client connections open on the traffic port to
 * {@code junction.limits.max-connections} (HAProxy's {@code maxconn}). At the limit the
 * listening channel stops reading, so new connections wait in the kernel's accept
 * backlog, costing Junction nothing, until one closes; no connection already accepted is
 * closed for it.
 */
public final class ConnectionLimit {

	private static final String HANDLER = "junction.connectionLimit";

	private final int max;

	// Raised only on the listening channel's event loop, so it never passes max; lowered
	// on whichever loop a connection closes.
	private final AtomicInteger open = new AtomicInteger();

	private final AtomicLong reached = new AtomicLong();

	ConnectionLimit(int max) {
		this.max = max;
	}

	/** Client connections open on the traffic port now. */
	public int open() {
		return this.open.get();
	}

	/** How many times the limit was reached, and new connections left waiting. */
	public long timesReached() {
		return this.reached.get();
	}

	/** Counts the connections {@code listening} accepts from now on. */
	void watch(Channel listening) {
		listening.pipeline().addFirst(HANDLER, new Gate());
	}

	/**
	 * First in the listening channel's pipeline, it sees each accepted connection before
	 * Netty registers it. One read of the listening channel can accept several at once,
	 * after which turning reading off is too late for them: those beyond the limit are
	 * held, unregistered (no buffers, nothing read), until others close. Reading off,
	 * only one read's worth can ever be held.
	 */
	private final class Gate extends ChannelInboundHandlerAdapter {

		// Only touched on the listening channel's event loop.
		private final Queue<Channel> held = new ArrayDeque<>();

		private @Nullable ChannelHandlerContext context;

		@Override
		public void handlerAdded(ChannelHandlerContext context) {
			this.context = context;
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			if (!(message instanceof Channel accepted)) {
				context.fireChannelRead(message);
				return;
			}
			if (this.held.isEmpty() && ConnectionLimit.this.open.get() < ConnectionLimit.this.max) {
				admit(context, accepted);
			}
			else {
				this.held.add(accepted);
				stopAccepting(context);
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			// The listener closed (shutdown): those held were never served.
			Channel held;
			while ((held = this.held.poll()) != null) {
				held.unsafe().closeForcibly();
			}
			context.fireChannelInactive();
		}

		private void admit(ChannelHandlerContext context, Channel accepted) {
			int open = ConnectionLimit.this.open.incrementAndGet();
			accepted.closeFuture().addListener((closed) -> {
				ConnectionLimit.this.open.decrementAndGet();
				// Unless the listener's loop has stopped, at shutdown.
				if (!context.executor().isShuttingDown()) {
					context.executor().execute(this::release);
				}
			});
			context.fireChannelRead(accepted);
			if (open >= ConnectionLimit.this.max) {
				stopAccepting(context);
			}
		}

		private void stopAccepting(ChannelHandlerContext context) {
			if (context.channel().config().isAutoRead()) {
				context.channel().config().setAutoRead(false);
				ConnectionLimit.this.reached.incrementAndGet();
			}
		}

		// On the listening channel's loop, after a connection closed: the held ones
		// first, then reading again if there is still room. Every autoRead change happens
		// on this loop, after the close that makes room, so none is missed.
		private void release() {
			ChannelHandlerContext context = this.context;
			if (context == null || !context.channel().isActive()) {
				return;
			}
			Channel next;
			while (ConnectionLimit.this.open.get() < ConnectionLimit.this.max && (next = this.held.poll()) != null) {
				admit(context, next);
			}
			if (this.held.isEmpty() && ConnectionLimit.this.open.get() < ConnectionLimit.this.max
					&& !context.channel().config().isAutoRead()) {
				context.channel().config().setAutoRead(true);
			}
		}

	}

}

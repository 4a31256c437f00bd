package io.junction.edge;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.junction.edge.ProxyProtocolProperties.ProxyProtocolMode;
import io.junction.proxy.ClientAddress;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * First in a traffic connection's pipeline: reads the PROXY protocol header a trusted
 * peer must start with, records the client it names on the channel for
 * {@link ClientAddress}, and steps aside. A trusted peer that sends no header, a header
 * of a version not accepted, or a bad one, and an untrusted peer that sends a header at
 * all, have their connection closed before a byte reaches HTTP. An untrusted peer that
 * sends none is served as it is.
 */
final class ProxyHeaderReader extends ByteToMessageDecoder {

	/** How long a trusted peer has to send its header (HAProxy's timeout client). */
	static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);

	private final ProxyProtocolMode mode;

	private final boolean trusted;

	private final String peer;

	private final ProxyProtocolRefusals refusals;

	private @Nullable ScheduledFuture<?> deadline;

	ProxyHeaderReader(ProxyProtocolMode mode, boolean trusted, String peer, ProxyProtocolRefusals refusals) {
		this.mode = mode;
		this.trusted = trusted;
		this.peer = peer;
		this.refusals = refusals;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (this.trusted) {
			this.deadline = ctx.executor()
				.schedule(() -> refuse(ctx, "no PROXY protocol header within " + HEADER_TIMEOUT.toSeconds() + " s"),
						HEADER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		ProtocolDetectionResult<HAProxyProtocolVersion> detected = HAProxyMessageDecoder.detectProtocol(in);
		switch (detected.state()) {
			case NEEDS_MORE_DATA -> {
			}
			case INVALID -> {
				if (this.trusted) {
					in.skipBytes(in.readableBytes());
					refuse(ctx, "no PROXY protocol header");
				}
				else {
					// Removed, it hands what it holds to HTTP.
					ctx.pipeline().remove(this);
				}
			}
			case DETECTED -> {
				HAProxyProtocolVersion version = detected.detectedProtocol();
				if (!this.trusted) {
					in.skipBytes(in.readableBytes());
					refuse(ctx, "PROXY protocol header from a peer not in junction.proxy-protocol-trusted");
				}
				else if (!this.mode.accepts(version)) {
					in.skipBytes(in.readableBytes());
					refuse(ctx, "PROXY protocol " + version.name().toLowerCase() + " header where "
							+ this.mode.name().toLowerCase() + " is expected");
				}
				else {
					String decoder = ctx.name() + ".decoder";
					ctx.pipeline()
						.addAfter(ctx.name(), decoder, new HAProxyMessageDecoder())
						.addAfter(decoder, ctx.name() + ".source", new SourceRecorder(this.deadline));
					this.deadline = null;
					ctx.pipeline().remove(this);
				}
			}
		}
	}

	@Override
	protected void handlerRemoved0(ChannelHandlerContext ctx) {
		cancel(this.deadline);
	}

	private void refuse(ChannelHandlerContext ctx, String reason) {
		cancel(this.deadline);
		this.refusals.refused(this.peer, reason);
		ctx.close();
	}

	private static void cancel(@Nullable ScheduledFuture<?> deadline) {
		if (deadline != null) {
			deadline.cancel(false);
		}
	}

	/** Takes the decoded header: the client it names goes on the channel. */
	private final class SourceRecorder extends ChannelInboundHandlerAdapter {

		private final @Nullable ScheduledFuture<?> deadline;

		SourceRecorder(@Nullable ScheduledFuture<?> deadline) {
			this.deadline = deadline;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (!(msg instanceof HAProxyMessage header)) {
				ctx.fireChannelRead(msg);
				return;
			}
			try {
				cancel(this.deadline);
				InetSocketAddress client = client(header);
				if (client != null) {
					ctx.channel().attr(ClientAddress.PROXIED).set(client);
				}
				ctx.pipeline().remove(this);
			}
			finally {
				header.release();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			// The decoder has closed the connection already.
			cancel(this.deadline);
			Throwable reason = (cause.getCause() != null) ? cause.getCause() : cause;
			ProxyHeaderReader.this.refusals.refused(ProxyHeaderReader.this.peer,
					"bad PROXY protocol header: " + reason.getMessage());
			ctx.close();
		}

		// A LOCAL header (the load balancer's own health check) or one of an unknown
		// family names no client: the peer is the client then.
		private static @Nullable InetSocketAddress client(HAProxyMessage header) {
			String source = header.sourceAddress();
			if (header.command() != HAProxyCommand.PROXY || source == null) {
				return null;
			}
			byte[] address = NetUtil.createByteArrayFromIpAddressString(source);
			if (address == null) {
				return null;
			}
			try {
				return new InetSocketAddress(InetAddress.getByAddress(address), header.sourcePort());
			}
			catch (java.net.UnknownHostException ex) {
				return null;
			}
		}

	}

}

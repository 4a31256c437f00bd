package io.junction.proxy;

import io.junction.pools.ServerTraffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes of a connection to a server, as HAProxy's {@code bin} and {@code bout}
 * do: added to the connection the first time a try uses it, first in its pipeline, so
 * that request line, headers and bodies all count. A connection goes to one address, so
 * it counts for the server of its first try.
 */
final class ServerBytes extends ChannelDuplexHandler {

	private static final String HANDLER = "junction.serverBytes";

	private final ServerTraffic traffic;

	private ServerBytes(ServerTraffic traffic) {
		this.traffic = traffic;
	}

	/**
	 * Counts {@code channel}'s bytes into {@code traffic}, unless it is counted already.
	 */
	static void count(Channel channel, ServerTraffic traffic) {
		if (channel.pipeline().get(HANDLER) == null) {
			channel.pipeline().addFirst(HANDLER, new ServerBytes(traffic));
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		this.traffic.received(size(message));
		context.fireChannelRead(message);
	}

	@Override
	public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
		this.traffic.sent(size(message));
		context.write(message, promise);
	}

	private static long size(Object message) {
		if (message instanceof ByteBuf buffer) {
			return buffer.readableBytes();
		}
		return (message instanceof ByteBufHolder holder) ? holder.content().readableBytes() : 0;
	}

}

package io.junction.pools;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

import org.springframework.cloud.gateway.config.HttpClientCustomizer;

/**
 * Counts the bytes of every connection to a pool's server, as HAProxy's {@code bin} and
 * {@code bout} do: the server is looked up once per connection by its address, and then
 * each buffer read or written adds its size. When several servers share one address, the
 * first configured counts the bytes.
 */
final class ServerBytesCounter implements HttpClientCustomizer {

	private static final String HANDLER = "junction.serverBytes";

	private final Map<String, ServerTraffic> byAddress = new HashMap<>();

	ServerBytesCounter(BackendPools pools) {
		for (Pool pool : pools.all()) {
			for (PoolServer server : pool.servers()) {
				this.byAddress.putIfAbsent(key(server.getHost(), server.getPort()), server.traffic());
			}
		}
	}

	@Override
	public HttpClient customize(HttpClient httpClient) {
		return httpClient.doOnConnected((connection) -> {
			ServerTraffic traffic = traffic(connection.channel().remoteAddress());
			if (traffic != null && connection.channel().pipeline().get(HANDLER) == null) {
				connection.channel().pipeline().addFirst(HANDLER, new Counter(traffic));
			}
		});
	}

	private @Nullable ServerTraffic traffic(@Nullable SocketAddress address) {
		if (!(address instanceof InetSocketAddress inet)) {
			return null;
		}
		ServerTraffic traffic = this.byAddress.get(key(inet.getHostString(), inet.getPort()));
		if (traffic == null && inet.getAddress() != null) {
			traffic = this.byAddress.get(key(inet.getAddress().getHostAddress(), inet.getPort()));
		}
		return traffic;
	}

	private static String key(String host, int port) {
		return host.toLowerCase() + ":" + port;
	}

	private static long size(Object message) {
		if (message instanceof ByteBuf buffer) {
			return buffer.readableBytes();
		}
		return (message instanceof ByteBufHolder holder) ? holder.content().readableBytes() : 0;
	}

	/** One connection's counter; Netty calls it on the connection's event loop only. */
	private static final class Counter extends ChannelDuplexHandler {

		private final ServerTraffic traffic;

		Counter(ServerTraffic traffic) {
			this.traffic = traffic;
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

	}

}

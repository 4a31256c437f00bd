package io.junction.framing;

import java.util.List;

import io.junction.observability.RefusedRequests;
import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Puts a {@link StrictFraming} in every connection of the traffic port, just before
 * whatever decodes HTTP (after TLS and the PROXY protocol header). The management port
 * does without.
 */
final class FramingCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

	private static final String HANDLER = "junction.strictFraming";

	// Whichever reads the first bytes of HTTP: ALPN's choice over TLS, h2c's, or
	// HTTP/1.1.
	private static final List<String> DECODERS = List.of(NettyPipeline.H2OrHttp11Codec, NettyPipeline.H2CUpgradeHandler,
			NettyPipeline.HttpCodec);

	private final RequestLimitsProperties limits;

	private final RefusedRequests refusals;

	FramingCustomizer(RequestLimitsProperties limits, RefusedRequests refusals) {
		this.limits = limits;
		this.refusals = refusals;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		int maxRequestLine = (int) this.limits.getMaxRequestLine().toBytes();
		int maxHeaderSize = (int) this.limits.getMaxHeaderSize().toBytes();
		int maxHeaderCount = this.limits.getMaxHeaderCount();
		long headTimeoutMillis = this.limits.getRequestHeadTimeout().toMillis();
		factory.addServerCustomizers((server) -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
			ChannelPipeline pipeline = channel.pipeline();
			for (String name : pipeline.names()) {
				if (DECODERS.contains(name)) {
					pipeline.addBefore(name, HANDLER, new StrictFraming(maxRequestLine, maxHeaderSize, maxHeaderCount,
							headTimeoutMillis, this.refusals));
					return;
				}
			}
		}));
	}

}

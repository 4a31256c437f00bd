package io.junction.edge;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.regex.Pattern;

import io.junction.edge.ProxyProtocolProperties.ProxyProtocolMode;
import io.junction.proxy.ClientAddress;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Puts a {@link ProxyHeaderReader} first in every connection of the traffic port. A
 * customizer of the factory, not a Netty server customizer bean: the management port's
 * server, made in a child context, sees the parent's server customizer beans but not its
 * factory customizers, and must stay plain.
 */
final class ProxyProtocolCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

	private static final String HANDLER = "junction.proxyProtocol";

	private final ProxyProtocolMode mode;

	private final Pattern trusted;

	private final ProxyProtocolRefusals refusals;

	ProxyProtocolCustomizer(ProxyProtocolMode mode, Pattern trusted, ProxyProtocolRefusals refusals) {
		this.mode = mode;
		this.trusted = trusted;
		this.refusals = refusals;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		if (this.mode == ProxyProtocolMode.OFF) {
			return;
		}
		factory.addServerCustomizers((server) -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
			// The argument is null for accepted connections; the channel knows its peer.
			String peer = ip(channel.remoteAddress());
			boolean trusted = peer != null && this.trusted.matcher(peer).matches();
			channel.pipeline()
				.addFirst(HANDLER,
						new ProxyHeaderReader(this.mode, trusted, (peer != null) ? peer : "-", this.refusals));
		}));
	}

	private static @Nullable String ip(SocketAddress remote) {
		return (remote instanceof InetSocketAddress address) ? ClientAddress.ip(address) : null;
	}

}

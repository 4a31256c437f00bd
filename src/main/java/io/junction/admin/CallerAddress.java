package io.junction.admin;

import io.junction.proxy.ClientAddress;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Puts the address of whoever sent a management request into the Reactor context, where
 * an Actuator operation, which never sees the exchange, can read it to log who asked.
 * Registered in the management context only, so the traffic port never pays for it.
 */
final class CallerAddress implements WebFilter {

	private static final String KEY = CallerAddress.class.getName();

	private static final String UNKNOWN = "unknown";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String ip = ClientAddress.ip(exchange.getRequest());
		String address = (ip != null) ? ip : UNKNOWN;
		return chain.filter(exchange).contextWrite((context) -> context.put(KEY, address));
	}

	/** The caller's IP address, or "unknown" outside a management request. */
	static String of(ContextView context) {
		return context.getOrDefault(KEY, UNKNOWN);
	}

}

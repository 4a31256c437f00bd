package io.junction.routing;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * The {@code RewritePath=REGEXP, REPLACEMENT} filter (HAProxy's {@code reqrep}), in place
 * of Gateway's filter of the same name and configuration, which Junction turns off
 * ({@code filter.rewrite-path.enabled: false}). The path is rewritten as Gateway does, on
 * the raw (still percent-encoded) path, but the request is not rebuilt: Gateway's rebuild
 * copied every request header into a new map on each request, where Junction only needs
 * another path in front of the same request. The rewritten path is held to
 * {@link SafePaths}, like the path the client sent.
 */
public class RewritePathGatewayFilterFactory
		extends AbstractGatewayFilterFactory<RewritePathGatewayFilterFactory.Config> {

	public RewritePathGatewayFilterFactory() {
		super(Config.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("regexp", "replacement");
	}

	@Override
	public GatewayFilter apply(Config config) {
		Pattern pattern = Pattern.compile(config.getRegexp());
		// YAML users write $\{name} for a named group, since ${name} is a placeholder.
		String replacement = config.getReplacement().replace("$\\", "$");
		return new GatewayFilter() {

			@Override
			public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
				ServerHttpRequest request = exchange.getRequest();
				URI original = request.getURI();
				ServerWebExchangeUtils.addOriginalRequestUrl(exchange, original);
				String path = pattern.matcher(original.getRawPath()).replaceAll(replacement);
				// What a rewrite makes is held to the same policy as what clients send:
				// it must not make a dot segment, or an encoded slash of a captured
				// group.
				RequestAtPath rewritten = new RequestAtPath(request, SafePaths.checked(path));
				exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, rewritten.getURI());
				return chain.filter(exchange.mutate().request(rewritten).build());
			}

			@Override
			public String toString() {
				return "RewritePath " + config.getRegexp() + " -> " + config.getReplacement();
			}

		};
	}

	/** The regular expression matched against the raw path, and what replaces it. */
	public static class Config {

		private String regexp = "";

		private String replacement = "";

		public String getRegexp() {
			return this.regexp;
		}

		public void setRegexp(String regexp) {
			this.regexp = regexp;
		}

		public String getReplacement() {
			return this.replacement;
		}

		public void setReplacement(String replacement) {
			this.replacement = replacement;
		}

	}

}

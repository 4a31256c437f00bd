package io.junction.routing;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.gateway.handler.predicate.AbstractRoutePredicateFactory;
import org.springframework.cloud.gateway.handler.predicate.GatewayPredicate;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code PathRegex=<java regex>}: HAProxy's {@code path_reg} ACL. The regex is searched
 * for in the request path as received (still percent-encoded, never the query string) and
 * matches anywhere unless anchored with {@code ^}.
 */
public class PathRegexRoutePredicateFactory
		extends AbstractRoutePredicateFactory<PathRegexRoutePredicateFactory.Config> {

	/** Name of the regex argument. */
	public static final String REGEX_KEY = "regex";

	public PathRegexRoutePredicateFactory() {
		super(Config.class);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of(REGEX_KEY);
	}

	@Override
	public Predicate<ServerWebExchange> apply(Config config) {
		Pattern pattern = config.getPattern();
		if (pattern == null) {
			throw new IllegalArgumentException("PathRegex needs a regex");
		}
		return new GatewayPredicate() {

			@Override
			public boolean test(ServerWebExchange exchange) {
				return pattern.matcher(exchange.getRequest().getPath().value()).find();
			}

			@Override
			public Object getConfig() {
				return config;
			}

			@Override
			public String toString() {
				return "PathRegex: " + pattern.pattern();
			}

		};
	}

	/** The predicate's one argument, compiled once when the route is built. */
	public static class Config {

		private @Nullable Pattern pattern;

		public @Nullable String getRegex() {
			return (this.pattern != null) ? this.pattern.pattern() : null;
		}

		/**
		 * Sets the regex to search the path for.
		 * @param regex a {@link Pattern java regex}
		 * @throws java.util.regex.PatternSyntaxException if it does not compile
		 */
		public Config setRegex(String regex) {
			this.pattern = Pattern.compile(regex);
			return this;
		}

		@Nullable Pattern getPattern() {
			return this.pattern;
		}

		@Override
		public String toString() {
			return "regex=" + getRegex();
		}

	}

}

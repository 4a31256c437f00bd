package io.junction.ratelimit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.junction.proxy.ClientAddress;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.RequestRateLimiterGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.support.HasRouteId;
import org.springframework.cloud.gateway.support.NameUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The {@code RateLimit} route filter (HAProxy's {@code http-request deny} on a stick
 * table's {@code http_req_rate}): each client may make {@code requests-per-second}
 * requests a second on the route, in bursts of up to {@code burst}; more get 429 with
 * {@code Retry-After}. Gateway's {@code RequestRateLimiter} does the filtering, with the
 * buckets in Redis ({@link TokenBuckets}) so that the limit holds across every replica.
 *
 * <p>
 * A client is its address ({@code key: client-address}, the default; behind trusted
 * proxies, the address they forwarded for) or a header's value ({@code key:
 * header:X-Api-Key}); a request without the header is limited by its address.
 */
public final class RateLimitGatewayFilterFactory
		extends AbstractGatewayFilterFactory<RateLimitGatewayFilterFactory.Config> {

	static final String CLIENT_ADDRESS = "client-address";

	static final String HEADER = "header:";

	private static final int MAX_RATE = 1_000_000;

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	private static final List<String> ARGUMENTS = List.of("requests-per-second", "burst", "key");

	private final TokenBuckets buckets;

	private final Pattern trustedProxies;

	RateLimitGatewayFilterFactory(TokenBuckets buckets, Pattern trustedProxies) {
		super(Config.class);
		this.buckets = buckets;
		this.trustedProxies = trustedProxies;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("requestsPerSecond", "burst", "key");
	}

	@Override
	public GatewayFilter apply(Config config) {
		int rate = config.getRequestsPerSecond();
		int burst = (config.getBurst() != null) ? config.getBurst() : rate;
		RouteLimit limit = new RouteLimit(this.buckets, rate, burst);
		KeyResolver client = keyResolver(config.getKey());
		RequestRateLimiterGatewayFilterFactory.Config gateway = new RequestRateLimiterGatewayFilterFactory.Config();
		gateway.setRouteId(config.getRouteId());
		// A client without a key (no address known) is not limited.
		gateway.setDenyEmptyKey(false);
		return new RequestRateLimiterGatewayFilterFactory(limit, client).apply(gateway);
	}

	private KeyResolver keyResolver(String key) {
		String header = key.startsWith(HEADER) ? key.substring(HEADER.length()) : null;
		return (exchange) -> {
			ServerHttpRequest request = exchange.getRequest();
			if (header != null) {
				String value = request.getHeaders().getFirst(header);
				if (value != null && !value.isBlank()) {
					return Mono.just("h:" + value);
				}
			}
			String ip = ClientAddress.originalIp(request, this.trustedProxies);
			return (ip != null) ? Mono.just("ip:" + ip) : Mono.empty();
		};
	}

	/**
	 * What is wrong with a {@code RateLimit} filter's {@code args}, by argument name; the
	 * same rules the filter's configuration applies.
	 */
	public static Map<String, String> problems(Map<String, String> args) {
		Map<String, String> problems = new LinkedHashMap<>();
		String rateText = argument(args, 0);
		Integer rate = whole(rateText);
		if (rate == null || rate < 1 || rate > MAX_RATE) {
			problems.put(ARGUMENTS.get(0), (rateText == null) ? "needs requests-per-second, such as RateLimit=10"
					: "requests-per-second '" + rateText + "' must be a whole number from 1 to " + MAX_RATE);
		}
		String burstText = argument(args, 1);
		if (burstText != null) {
			Integer burst = whole(burstText);
			if (burst == null || burst < 1 || burst > MAX_RATE * 100) {
				problems.put(ARGUMENTS.get(1),
						"burst '" + burstText + "' must be a whole number from 1 to " + MAX_RATE * 100);
			}
			else if (rate != null && burst < rate) {
				problems.put(ARGUMENTS.get(1), "burst " + burst + " must be at least requests-per-second (" + rate
						+ "): the bucket must hold a second's tokens");
			}
		}
		String key = argument(args, 2);
		if (key != null && !key.equals(CLIENT_ADDRESS)
				&& !(key.startsWith(HEADER) && TOKEN.matcher(key.substring(HEADER.length())).matches())) {
			problems.put(ARGUMENTS.get(2), "key '" + key + "' must be " + CLIENT_ADDRESS + " or header:<Name>");
		}
		return problems;
	}

	// An argument by its position in the shortcut form or by its name, in relaxed form.
	private static @Nullable String argument(Map<String, String> args, int index) {
		String shortcut = args.get(NameUtils.generateName(index));
		if (shortcut != null) {
			return shortcut.trim();
		}
		String name = relaxed(ARGUMENTS.get(index));
		for (Map.Entry<String, String> argument : args.entrySet()) {
			if (relaxed(argument.getKey()).equals(name)) {
				return argument.getValue().trim();
			}
		}
		return null;
	}

	private static String relaxed(String name) {
		return name.replace("-", "").toLowerCase(Locale.ROOT);
	}

	private static @Nullable Integer whole(@Nullable String text) {
		if (text == null) {
			return null;
		}
		try {
			return Integer.valueOf(text);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** A route's limit, as its filter arguments say. */
	public static class Config implements HasRouteId {

		private int requestsPerSecond;

		private @Nullable Integer burst;

		private String key = CLIENT_ADDRESS;

		private @Nullable String routeId;

		public int getRequestsPerSecond() {
			return this.requestsPerSecond;
		}

		public void setRequestsPerSecond(int requestsPerSecond) {
			this.requestsPerSecond = requestsPerSecond;
		}

		public @Nullable Integer getBurst() {
			return this.burst;
		}

		public void setBurst(@Nullable Integer burst) {
			this.burst = burst;
		}

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

		@Override
		public void setRouteId(String routeId) {
			this.routeId = routeId;
		}

		@Override
		public @Nullable String getRouteId() {
			return this.routeId;
		}

	}

	/**
	 * One route's limit as Gateway's filter asks for it, with the IETF draft's
	 * {@code RateLimit-*} headers on every answer and {@code Retry-After} on a refusal.
	 */
	private record RouteLimit(TokenBuckets buckets, int rate, int burst) implements RateLimiter<Object> {

		@Override
		public Mono<Response> isAllowed(String routeId, String id) {
			return this.buckets.take(routeId, id, this.rate, this.burst).map((taken) -> {
				Map<String, String> headers = new LinkedHashMap<>();
				if (taken.remaining() >= 0) {
					headers.put("RateLimit-Limit", Integer.toString(this.burst));
					headers.put("RateLimit-Remaining", Long.toString(taken.remaining()));
					long reset = (this.burst - taken.remaining() + this.rate - 1) / this.rate;
					headers.put("RateLimit-Reset", Long.toString(reset));
				}
				if (!taken.allowed()) {
					// Buckets refill each second, by Redis's clock, at least one token.
					headers.put("Retry-After", "1");
				}
				return new Response(taken.allowed(), headers);
			});
		}

		@Override
		public Map<String, Object> getConfig() {
			return Map.of();
		}

		@Override
		public Class<Object> getConfigClass() {
			return Object.class;
		}

		@Override
		public Object newConfig() {
			return new Object();
		}

	}

}

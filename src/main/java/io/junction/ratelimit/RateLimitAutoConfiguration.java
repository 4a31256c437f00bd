package io.junction.ratelimit;

import java.util.List;

import io.junction.routing.RoutingProperties;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/** The {@code RateLimit} route filter and its buckets in Redis. */
@AutoConfiguration(before = GatewayAutoConfiguration.class)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitAutoConfiguration {

	@Bean
	TokenBuckets tokenBuckets(ReactiveStringRedisTemplate redis,
			@Qualifier(RedisRateLimiter.REDIS_SCRIPT_NAME) RedisScript<List<Long>> script,
			RateLimitProperties properties, MeterRegistry meters) {
		return new TokenBuckets(redis, script, properties, meters, System::nanoTime);
	}

	@Bean
	RateLimitGatewayFilterFactory rateLimitGatewayFilterFactory(TokenBuckets buckets, RoutingProperties routing) {
		return new RateLimitGatewayFilterFactory(buckets, routing.getTrustedProxies());
	}

	// While Redis is unreachable, Lettuce would queue each command until it reconnects;
	// refused at once, the request is decided by fail-open without waiting.
	@Bean
	LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

}

package io.junction.ratelimit;

import java.time.Duration;

import io.junction.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Junction's rate limits use Redis (where Redis is: Spring Boot's
 * {@code spring.data.redis.*}).
 */
@ConfigurationProperties(RateLimitProperties.PREFIX)
public class RateLimitProperties {

	/** Prefix of the rate limit properties. */
	public static final String PREFIX = "junction.rate-limit";

	/**
	 * Whether requests pass when Redis cannot be asked (down, slow, refusing): true
	 * serves them unlimited, false answers 429.
	 */
	private boolean failOpen = true;

	/**
	 * Longest a request waits for Redis's answer before it counts as an error and
	 * fail-open decides.
	 */
	private Duration redisTimeout = Duration.ofMillis(250);

	public boolean isFailOpen() {
		return this.failOpen;
	}

	public void setFailOpen(boolean failOpen) {
		this.failOpen = failOpen;
	}

	public Duration getRedisTimeout() {
		return this.redisTimeout;
	}

	public void setRedisTimeout(Duration redisTimeout) {
		if (redisTimeout.toMillis() < 1 || redisTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
			throw new InvalidConfigurationException(PREFIX + ".redis-timeout",
					redisTimeout + " must be between 1ms and 10s");
		}
		this.redisTimeout = redisTimeout;
	}

}

package io.junction.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Token buckets kept in Redis, one per route and client, so that every replica takes from
 * the same bucket: Gateway's request rate limiter script refills a bucket by the seconds
 * since it was last used and takes one token, atomically. When Redis cannot answer within
 * the timeout, fail-open decides, and the error is counted
 * ({@code junction_rate_limit_redis_errors_total}) and logged at most every 10 seconds.
 */
final class TokenBuckets {

	private static final Log logger = LogFactory.getLog(TokenBuckets.class);

	private static final long LOG_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

	private final ReactiveStringRedisTemplate redis;

	private final RedisScript<List<Long>> script;

	private final boolean failOpen;

	private final Duration timeout;

	private final Counter errors;

	private final LongSupplier nanoTime;

	private final AtomicLong lastLogged;

	private final AtomicLong unlogged = new AtomicLong();

	TokenBuckets(ReactiveStringRedisTemplate redis, RedisScript<List<Long>> script, RateLimitProperties properties,
			MeterRegistry meters, LongSupplier nanoTime) {
		this.redis = redis;
		this.script = script;
		this.failOpen = properties.isFailOpen();
		this.timeout = properties.getRedisTimeout();
		this.errors = Counter.builder("junction.rate.limit.redis.errors")
			.description("Rate limit decisions Redis could not make in time; fail-open decided them")
			.register(meters);
		this.nanoTime = nanoTime;
		this.lastLogged = new AtomicLong(nanoTime.getAsLong() - LOG_EVERY_NANOS);
	}

	/**
	 * Takes a token from the bucket of {@code client} on {@code route}, which refills
	 * {@code rate} tokens a second up to {@code burst}.
	 */
	Mono<Taken> take(String route, String client, int rate, int burst) {
		// The braces make both keys one Redis Cluster hash slot, as the script needs.
		String prefix = "junction_rate_limit.{" + route + "." + client + "}.";
		List<String> keys = List.of(prefix + "tokens", prefix + "timestamp");
		// Rate, capacity, "now" (empty: Redis's own clock, the same for every replica),
		// tokens wanted.
		List<String> args = List.of(Integer.toString(rate), Integer.toString(burst), "", "1");
		return this.redis.execute(this.script, keys, args)
			.flatMapIterable((results) -> results)
			.collectList()
			.timeout(this.timeout)
			.map((results) -> new Taken(results.get(0) == 1L, results.get(1)))
			.onErrorResume((error) -> Mono.just(failed(route, error)));
	}

	private Taken failed(String route, Throwable error) {
		this.errors.increment();
		long now = this.nanoTime.getAsLong();
		long last = this.lastLogged.get();
		long missed = this.unlogged.incrementAndGet();
		if (now - last >= LOG_EVERY_NANOS && this.lastLogged.compareAndSet(last, now)) {
			this.unlogged.addAndGet(-missed);
			logger.warn("Redis did not decide a rate limit (route " + route + "; " + missed
					+ ((missed == 1) ? " request" : " requests") + " since the last warning): " + describe(error) + "; "
					+ (this.failOpen ? "letting requests pass (fail-open)"
							: "refusing them with 429 (fail-open: false)"));
		}
		return new Taken(this.failOpen, -1);
	}

	private String describe(Throwable error) {
		if (error instanceof java.util.concurrent.TimeoutException) {
			return "no answer within " + this.timeout.toMillis() + " ms";
		}
		Throwable cause = (error.getCause() != null) ? error.getCause() : error;
		return cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

	/** Whether a token was taken, and how many are left (-1 when Redis did not say). */
	record Taken(boolean allowed, long remaining) {

	}

}

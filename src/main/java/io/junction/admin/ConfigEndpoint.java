package io.junction.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import io.junction.config.ConfigurationReloader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/config} on the management port: the configuration in place (version,
 * when it was applied, the files it came from) and the last one refused with its
 * problems; and, when {@code junction.admin.enabled} is true, {@code POST} to read the
 * files and apply them now, logged with the address of who asked.
 */
@Endpoint(id = "config")
public class ConfigEndpoint {

	private static final Log logger = LogFactory.getLog("io.junction.admin");

	private static final int FORBIDDEN = 403;

	private final ConfigurationReloader reloader;

	private final AdminProperties properties;

	ConfigEndpoint(ConfigurationReloader reloader, AdminProperties properties) {
		this.reloader = reloader;
		this.properties = properties;
	}

	/** The configuration in place and the last refusal. */
	@ReadOperation
	public Map<String, Object> config() {
		return this.reloader.status();
	}

	/**
	 * Reads the configuration files and applies them now: 200 with what happened
	 * ({@code applied}, {@code unchanged}, or {@code rejected} with the problems).
	 */
	@WriteOperation
	public Mono<WebEndpointResponse<Map<String, Object>>> reload() {
		return Mono.deferContextual((context) -> {
			String caller = CallerAddress.of(context);
			if (!this.properties.isEnabled()) {
				logger.warn("Refused to reload the configuration (asked by " + caller
						+ "): junction.admin.enabled is false");
				return Mono.just(new WebEndpointResponse<>(
						Map.<String, Object>of("message",
								"runtime admin is disabled: set junction.admin.enabled=true to reload at run time"),
						FORBIDDEN));
			}
			logger.info("Configuration reload asked by " + caller);
			// Reading and binding files blocks: not on an event loop.
			return Mono.fromCallable(this.reloader::reload)
				.subscribeOn(Schedulers.boundedElastic())
				.map((outcome) -> new WebEndpointResponse<>(body(outcome), WebEndpointResponse.STATUS_OK));
		});
	}

	private Map<String, Object> body(ConfigurationReloader.Outcome outcome) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("result", outcome.result().name().toLowerCase(java.util.Locale.ROOT));
		body.put("version", outcome.version());
		if (!outcome.problems().isEmpty()) {
			body.put("problems", outcome.problems().stream().map(Object::toString).toList());
		}
		body.put("config", this.reloader.status());
		return body;
	}

}

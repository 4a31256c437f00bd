package bench.vanilla;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway as it comes: no code of its own, every route and setting from the
 * configuration that bench/image-startup.sh mounts into the container.
 */
@SpringBootApplication
public class VanillaGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(VanillaGatewayApplication.class, args);
	}

}

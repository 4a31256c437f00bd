package io.junction;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Junction: an L7 HTTP gateway that routes by path to pools of app servers, in place of
 * an HAProxy pair behind an AWS load balancer.
 */
@SpringBootApplication
public class JunctionApplication {

	public static void main(String[] args) {
		SpringApplication.run(JunctionApplication.class, args);
	}

}

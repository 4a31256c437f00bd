package io.junction.config;

import java.util.Set;
import java.util.TreeSet;

import io.junction.Startup;
import io.junction.routing.RouteVocabulary;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
import org.springframework.cloud.gateway.handler.predicate.RoutePredicateFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.filter.AnnotationTypeFilter;

import static org.assertj.core.api.Assertions.assertThat;

/** The check knows what the running application knows. */
class ConfigurationCheckTests {

	// A properties class missing from the list would have every one of its keys refused
	// as unknown.
	@Test
	void everyConfigurationPropertiesClassOfJunctionIsKnown() throws ClassNotFoundException {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		Set<String> found = new TreeSet<>();
		for (BeanDefinition definition : scanner.findCandidateComponents("io.junction")) {
			Class<?> type = Class.forName(definition.getBeanClassName());
			String prefix = AnnotatedElementUtils.getMergedAnnotation(type, ConfigurationProperties.class).prefix();
			found.add(prefix + "=" + type.getName());
		}
		Set<String> listed = new TreeSet<>();
		ConfigurationCheck.PROPERTIES.forEach((type, prefix) -> listed.add(prefix + "=" + type.getName()));
		assertThat(listed).isEqualTo(found);
	}

	// The vocabulary comes from bean definitions before anything exists; it must name
	// exactly the predicates and filters Gateway then creates, or a valid route would be
	// refused.
	@Test
	void vocabularyReadBeforeStartNamesThePredicatesAndFiltersGatewayCreates() {
		try (ConfigurableApplicationContext context = Startup.run()) {
			RouteVocabulary vocabulary = RouteVocabulary.of(context.getBeanFactory());
			Set<String> predicates = new TreeSet<>();
			context.getBeansOfType(RoutePredicateFactory.class).values().forEach((f) -> predicates.add(f.name()));
			Set<String> filters = new TreeSet<>();
			context.getBeansOfType(GatewayFilterFactory.class).values().forEach((f) -> filters.add(f.name()));
			assertThat(vocabulary.predicates()).isEqualTo(predicates).contains("Path", "PathRegex", "Host");
			assertThat(vocabulary.filters()).isEqualTo(filters).contains("RewritePath", "StripPrefix");
		}
	}

}

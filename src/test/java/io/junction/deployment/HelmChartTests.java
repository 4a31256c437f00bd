package io.junction.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Helm chart in {@code helm/junction}, linted and rendered by the Helm library itself
 * (helm-java), as {@code helm lint} and {@code helm template} would, then read back as
 * Kubernetes objects.
 */
class HelmChartTests {

	private static final Path CHART = Paths.get("helm/junction");

	/** Junction's default {@code spring.lifecycle.timeout-per-shutdown-phase}. */
	private static final Duration SHUTDOWN_PHASE = Duration.ofSeconds(20);

	private static final String ADDITIONAL_LOCATION = "--spring.config.additional-location=file:/config/junction.yml";

	private static final String DRAIN_DELAY = "--junction.shutdown.drain-delay=";

	private static final String HOOK = "helm.sh/hook";

	/** What {@link #HOOK} is called in the copy of the chart that renders hooks. */
	private static final String RENAMED_HOOK = "rendered-by-test.junction.io/hook";

	/**
	 * The copy of the chart in which hooks are ordinary objects; see
	 * {@link #renderWithHooks}.
	 */
	@TempDir
	private static Path chartWithoutHooks;

	/** Why Helm cannot run on this machine, or null when it can. */
	private static @Nullable String helmUnavailable;

	@BeforeAll
	static void loadHelm() {
		// The first call unpacks Helm's native library into java.io.tmpdir and loads
		// it: a noexec folder, or another platform, stops it here, once for the class.
		try {
			Helm.version().call();
		}
		catch (LinkageError | RuntimeException ex) {
			helmUnavailable = "Helm's native library (helm-java) cannot run here; java.io.tmpdir ("
					+ System.getProperty("java.io.tmpdir") + ") must allow execution: " + ex;
		}
	}

	@BeforeAll
	static void copyChartWithoutHooks() throws IOException {
		int renamed = 0;
		try (Stream<Path> files = Files.walk(CHART)) {
			for (Path file : files.toList()) {
				Path copy = chartWithoutHooks.resolve(CHART.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(copy);
					continue;
				}
				String text = Files.readString(file);
				if (file.getParent().endsWith("templates") && text.contains(HOOK + ":")) {
					text = text.replace(HOOK + ":", RENAMED_HOOK + ":");
					renamed++;
				}
				Files.writeString(copy, text);
			}
		}
		assertThat(renamed).as("templates with hooks").isPositive();
	}

	@BeforeEach
	void helmRunsOnThisMachine() {
		// Skipped with the reason, not failed: the machine is at fault, not the chart.
		assumeTrue(helmUnavailable == null, () -> helmUnavailable);
	}

	@Test
	void chartPassesLint() {
		LintResult lint = new Helm(CHART).lint().call();
		assertThat(lint.isFailed()).as("lint failed: %s", lint.getMessages()).isFalse();
		assertThat(lint.getMessages()).noneMatch((message) -> message.startsWith("[ERROR]"))
			.noneMatch((message) -> message.startsWith("[WARNING]"));
	}

	@Test
	void everyCiScenarioRenders() throws IOException {
		List<Path> scenarios = new ArrayList<>();
		try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
			files.filter((file) -> file.getFileName().toString().endsWith("-values.yaml")).forEach(scenarios::add);
		}
		assertThat(scenarios).extracting((file) -> file.getFileName().toString())
			.contains("default-values.yaml", "servicemonitor-values.yaml");
		for (Path scenario : scenarios) {
			assertThat(render((helm) -> helm.withValuesFile(scenario)).kind("Deployment")).as("%s", scenario)
				.isNotEmpty();
			assertThat(renderWithHooks((helm) -> helm.withValuesFile(scenario)).kind("Job")).as("%s", scenario)
				.hasSize(1);
		}
	}

	@Test
	void defaultsRenderTwoReplicasSpreadAcrossZonesAndHosts() {
		Manifests manifests = render(UnaryOperator.identity());
		Map<String, Object> deployment = manifests.one("Deployment");
		assertThat(get(deployment, "spec", "replicas")).isEqualTo(2);
		Object selector = get(deployment, "spec", "selector", "matchLabels");
		List<Map<String, Object>> constraints = maps(
				get(deployment, "spec", "template", "spec", "topologySpreadConstraints"));
		assertThat(constraints).extracting((constraint) -> constraint.get("topologyKey"))
			.containsExactlyInAnyOrder("topology.kubernetes.io/zone", "kubernetes.io/hostname");
		for (Map<String, Object> constraint : constraints) {
			assertThat(constraint.get("maxSkew")).isEqualTo(1);
			// A constraint without a selector counts no pods and spreads nothing.
			assertThat(get(constraint, "labelSelector", "matchLabels")).isEqualTo(selector);
		}
	}

	@Test
	void rollingUpdateNeverTakesAPodAwayBeforeItsReplacementIsReady() {
		Map<String, Object> strategy = map(get(render(UnaryOperator.identity()).one("Deployment"), "spec", "strategy"));
		assertThat(strategy.get("type")).isEqualTo("RollingUpdate");
		assertThat(get(strategy, "rollingUpdate", "maxUnavailable")).isEqualTo(0);
		assertThat(get(strategy, "rollingUpdate", "maxSurge")).isEqualTo(1);
	}

	@Test
	void disruptionBudgetLetsOneJunctionPodGoAtATime() {
		Manifests manifests = render(UnaryOperator.identity());
		Map<String, Object> budget = manifests.one("PodDisruptionBudget");
		assertThat(get(budget, "spec", "maxUnavailable")).isEqualTo(1);
		assertThat(get(budget, "spec", "selector", "matchLabels"))
			.isEqualTo(get(manifests.one("Deployment"), "spec", "selector", "matchLabels"));
	}

	@Test
	void probesAskTheManagementPortForReadinessAndLiveness() {
		Map<String, Object> container = container(render(UnaryOperator.identity()));
		assertThat(get(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
		assertThat(containerPort(container, get(container, "readinessProbe", "httpGet", "port"))).isEqualTo(8081);
		assertThat(get(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		assertThat(containerPort(container, get(container, "livenessProbe", "httpGet", "port"))).isEqualTo(8081);
		assertThat(get(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		assertThat(containerPort(container, get(container, "startupProbe", "httpGet", "port"))).isEqualTo(8081);
	}

	@Test
	void containerRunsAsNonRootOnAReadOnlyRootFilesystemWithAWritableTmp() {
		Manifests manifests = render(UnaryOperator.identity());
		Map<String, Object> pod = map(get(manifests.one("Deployment"), "spec", "template", "spec"));
		Map<String, Object> container = container(manifests);
		assertThat(get(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
		assertThat(get(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
		assertThat(get(container, "securityContext", "runAsNonRoot")).isEqualTo(true);
		assertThat((int) get(container, "securityContext", "runAsUser")).isPositive();
		assertThat(get(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
		assertThat(get(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
		assertThat(list(get(container, "securityContext", "capabilities", "drop"))).containsExactly("ALL");
		assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
		assertThat(maps(container.get("volumeMounts"))).filteredOn((mount) -> "/tmp".equals(mount.get("mountPath")))
			.singleElement()
			.satisfies((mount) -> assertThat(volume(pod, (String) mount.get("name"))).containsKey("emptyDir"));
	}

	@Test
	void imageDefaultsToTheChartsAppVersion() {
		assertThat(container(render(UnaryOperator.identity())).get("image")).isEqualTo("junction:0.1.0");
		assertThat(container(render((helm) -> helm.set("image.tag", "0.2.0"))).get("image"))
			.isEqualTo("junction:0.2.0");
	}

	@Test
	void latestImageTagIsRefusedSayingWhy() {
		assertThatIllegalStateException().isThrownBy(() -> render((helm) -> helm.set("image.tag", "latest")))
			.withMessageContaining("image.tag \"latest\" is refused")
			.withMessageContaining("pin a version");
	}

	@Test
	void valuesOutsideTheSchemaAreRefused() {
		assertThatIllegalStateException().isThrownBy(() -> render((helm) -> helm.set("replicaCount", "0")))
			.withMessageContaining("replicaCount");
		assertThatIllegalStateException().isThrownBy(() -> render((helm) -> helm.set("replicas", "3")))
			.withMessageContaining("replicas is not allowed");
		assertThatIllegalStateException().isThrownBy(() -> render((helm) -> helm.set("drainDelay", "PT10S")))
			.withMessageContaining("drainDelay");
		assertThatIllegalStateException().isThrownBy(() -> render((helm) -> helm.set("configCheck.enable", "false")))
			.withMessageContaining("enable is not allowed");
		assertThatIllegalStateException().isThrownBy(() -> render((helm) -> helm.set("rollOnConfigChange", "yes")))
			.withMessageContaining("rollOnConfigChange");
	}

	@Test
	void emptyConfigRendersAnEmptyJunctionYml() {
		Map<String, Object> junctionYml = junctionYml(render(UnaryOperator.identity()));
		assertThat(junctionYml).isEmpty();
	}

	@Test
	void seedRoutesAndPoolsFromValuesReachJunctionYml() {
		Map<String, Object> junctionYml = junctionYml(
				render((helm) -> helm.withValuesFile(CHART.resolve("ci/default-values.yaml"))));
		assertThat(map(get(junctionYml, "junction", "backends"))).containsOnlyKeys("services-foo-v1", "services-bar-v1",
				"website");
		assertThat(maps(get(junctionYml, "junction", "backends", "services-foo-v1", "servers")))
			.extracting((server) -> server.get("url"))
			.containsExactly("http://app01.example.com:123", "http://app02.example.com:123",
					"http://app03.example.com:123");
		List<Map<String, Object>> routes = maps(
				get(junctionYml, "spring", "cloud", "gateway", "server", "webflux", "routes"));
		// Order matters: the catch-all route must stay last.
		assertThat(routes).extracting((route) -> route.get("id"))
			.containsExactly("services-foo-v1", "services-bar-v1", "website");
		assertThat(routes.get(0).get("uri")).isEqualTo("lb://services-foo-v1");
		assertThat(routes.get(0).get("predicates")).isEqualTo(List.of("PathRegex=^/services/foo/v1/"));
		// "$\{" survives, so Spring does not take ${rest} for a placeholder.
		assertThat(routes.get(0).get("filters"))
			.isEqualTo(List.of("RewritePath=^/services/foo/v1/(?<rest>.*), /$\\{rest}"));
		assertThat(routes.get(2).get("predicates")).isEqualTo(List.of("Path=/**"));
	}

	@Test
	void customConfigValueReachesJunctionYml() {
		Map<String, Object> junctionYml = junctionYml(
				render((helm) -> helm.set("config.junction.backends.edge-pool.servers[0].name", "app09")
					.set("config.junction.backends.edge-pool.servers[0].url", "http://10.0.0.9:8080")));
		assertThat(maps(get(junctionYml, "junction", "backends", "edge-pool", "servers")))
			.containsExactly(Map.of("name", "app09", "url", "http://10.0.0.9:8080"));
	}

	@Test
	void junctionLoadsJunctionYmlFromTheMountedConfigMap() {
		Manifests manifests = render(UnaryOperator.identity());
		Map<String, Object> pod = map(get(manifests.one("Deployment"), "spec", "template", "spec"));
		Map<String, Object> container = container(manifests);
		assertThat(list(container.get("args"))).startsWith(ADDITIONAL_LOCATION);
		Map<String, Object> mount = maps(container.get("volumeMounts")).stream()
			.filter((candidate) -> "/config".equals(candidate.get("mountPath")))
			.findFirst()
			.orElseThrow();
		assertThat(get(volume(pod, (String) mount.get("name")), "configMap", "name"))
			.isEqualTo(get(manifests.one("ConfigMap"), "metadata", "name"));
	}

	@Test
	void configMapIsMountedAsADirectorySoJunctionSeesItsUpdates() {
		// A subPath mount is a copy the kubelet never updates: Junction would not reload.
		assertThat(maps(container(render(UnaryOperator.identity())).get("volumeMounts")))
			.filteredOn((mount) -> "/config".equals(mount.get("mountPath")))
			.singleElement()
			.satisfies((mount) -> assertThat(mount).doesNotContainKey("subPath"));
	}

	@Test
	void changingConfigLeavesThePodTemplateAloneSoJunctionReloadsInPlace() {
		Map<String, Object> defaults = podTemplateMetadata(render(UnaryOperator.identity()));
		Map<String, Object> changed = podTemplateMetadata(
				render((helm) -> helm.set("config.junction.routing.preserve-host", "false")));
		assertThat(defaults).doesNotContainKey("annotations");
		assertThat(changed).isEqualTo(defaults);
	}

	@Test
	void podAnnotationsStayWithoutTheChecksum() {
		Map<String, Object> annotations = map(
				get(render((helm) -> helm.set("podAnnotations.team", "edge")).one("Deployment"), "spec", "template",
						"metadata", "annotations"));
		assertThat(annotations).containsExactly(Map.entry("team", "edge"));
	}

	@Test
	void rollOnConfigChangeBringsBackTheChecksumSoAChangedConfigRollsThePods() {
		UnaryOperator<TemplateCommand> roll = (helm) -> helm.set("rollOnConfigChange", "true");
		String defaults = configChecksum(render(roll));
		String again = configChecksum(render(roll));
		String changed = configChecksum(
				render((helm) -> roll.apply(helm).set("config.junction.routing.preserve-host", "false")));
		assertThat(defaults).matches("[0-9a-f]{64}").isEqualTo(again);
		assertThat(changed).matches("[0-9a-f]{64}").isNotEqualTo(defaults);
	}

	@Test
	void configCheckRunsAsAHookBeforeInstallAndUpgradeAndIsNotPartOfTheRelease() {
		// Helm applies hooks before the release's objects, and only hooks: Helm's
		// template
		// leaves them out, the copy without hooks has them.
		Manifests release = render(UnaryOperator.identity());
		assertThat(release.kind("Job")).isEmpty();
		assertThat(release.kind("ConfigMap")).extracting((map) -> get(map, "metadata", "name"))
			.doesNotContain("junction-config-check");
		Manifests hooks = renderWithHooks(UnaryOperator.identity());
		Map<String, Object> job = hooks.one("Job");
		Map<String, Object> configMap = hooks.named("ConfigMap", "junction-config-check");
		for (Map<String, Object> hook : List.of(job, configMap)) {
			assertThat(map(get(hook, "metadata", "annotations"))).containsEntry(HOOK, "pre-install,pre-upgrade")
				.containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
			assertThat(get(hook, "metadata", "namespace")).isEqualTo("edge");
		}
		// The ConfigMap must exist before the Job's pod mounts it: Helm creates lower
		// weights first.
		assertThat(hookWeight(configMap)).isLessThan(hookWeight(job));
	}

	@Test
	void configCheckRunsTheImagesCheckCommandOnceOnJunctionYmlWithThePodsArguments() {
		UnaryOperator<TemplateCommand> options = (helm) -> helm.set("image.tag", "0.2.0")
			.set("extraArgs[0]", "--spring.profiles.active=edge");
		Map<String, Object> job = renderWithHooks(options).one("Job");
		Map<String, Object> check = jobContainer(job);
		Map<String, Object> junction = container(render(options));
		assertThat(check.get("image")).isEqualTo("junction:0.2.0").isEqualTo(junction.get("image"));
		assertThat(check.get("imagePullPolicy")).isEqualTo(junction.get("imagePullPolicy"));
		// The image's entrypoint ends in -jar junction.jar: these reach Junction's main.
		assertThat(check).doesNotContainKey("command");
		List<Object> junctionArgs = list(junction.get("args"));
		assertThat(junctionArgs.get(0)).isEqualTo(ADDITIONAL_LOCATION);
		List<Object> expected = new ArrayList<>(List.of("check", "/config/junction.yml"));
		expected.addAll(junctionArgs.subList(1, junctionArgs.size()));
		assertThat(list(check.get("args"))).isEqualTo(expected)
			.containsSubsequence("/config/junction.yml", DRAIN_DELAY + "10s", "--spring.profiles.active=edge");
		assertThat(get(job, "spec", "backoffLimit")).isEqualTo(0);
		assertThat(get(job, "spec", "template", "spec", "restartPolicy")).isEqualTo("Never");
		// Shorter than Helm's default --timeout (5m), so the Job's own failure is what
		// Helm reports.
		assertThat((int) get(job, "spec", "activeDeadlineSeconds")).isBetween(1, 299);
	}

	@Test
	void configCheckReadsTheSameJunctionYmlAsTheReleasesConfigMap() {
		UnaryOperator<TemplateCommand> seed = (helm) -> helm.withValuesFile(CHART.resolve("ci/default-values.yaml"));
		Manifests hooks = renderWithHooks(seed);
		Map<String, Object> pod = map(get(hooks.one("Job"), "spec", "template", "spec"));
		Map<String, Object> mount = maps(jobContainer(hooks.one("Job")).get("volumeMounts")).stream()
			.filter((candidate) -> "/config".equals(candidate.get("mountPath")))
			.findFirst()
			.orElseThrow();
		assertThat(get(volume(pod, (String) mount.get("name")), "configMap", "name"))
			.isEqualTo("junction-config-check");
		Map<String, Object> checked = hooks.named("ConfigMap", "junction-config-check");
		assertThat(junctionYml(checked)).containsKeys("junction", "spring");
		assertThat(get(checked, "data", "junction.yml"))
			.isEqualTo(get(render(seed).one("ConfigMap"), "data", "junction.yml"));
	}

	@Test
	void configCheckRunsAsNonRootOnAReadOnlyRootFilesystemLikeThePods() {
		Manifests hooks = renderWithHooks(UnaryOperator.identity());
		Manifests release = render(UnaryOperator.identity());
		Map<String, Object> pod = map(get(hooks.one("Job"), "spec", "template", "spec"));
		Map<String, Object> check = jobContainer(hooks.one("Job"));
		assertThat(pod.get("securityContext"))
			.isEqualTo(get(release.one("Deployment"), "spec", "template", "spec", "securityContext"));
		assertThat(check.get("securityContext")).isEqualTo(container(release).get("securityContext"));
		assertThat(get(check, "securityContext", "runAsNonRoot")).isEqualTo(true);
		assertThat(get(check, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
		assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
		assertThat(maps(check.get("volumeMounts"))).filteredOn((mount) -> "/tmp".equals(mount.get("mountPath")))
			.singleElement()
			.satisfies((mount) -> assertThat(volume(pod, (String) mount.get("name"))).containsKey("emptyDir"));
	}

	@Test
	void configCheckPodIsNotAJunctionPodForTheServicesOrTheDisruptionBudget() {
		Map<String, Object> labels = map(
				get(renderWithHooks(UnaryOperator.identity()).one("Job"), "spec", "template", "metadata", "labels"));
		Manifests release = render(UnaryOperator.identity());
		List<Map<String, Object>> selectors = new ArrayList<>();
		for (Map<String, Object> service : release.kind("Service")) {
			selectors.add(map(get(service, "spec", "selector")));
		}
		selectors.add(map(get(release.one("PodDisruptionBudget"), "spec", "selector", "matchLabels")));
		selectors.add(map(get(release.one("Deployment"), "spec", "selector", "matchLabels")));
		assertThat(selectors).hasSize(4).noneMatch((selector) -> labels.entrySet().containsAll(selector.entrySet()));
		assertThat(labels).containsEntry("app.kubernetes.io/component", "config-check");
	}

	@Test
	void noRedisByDefaultSoRateLimitsFailOpen() {
		Manifests manifests = render(UnaryOperator.identity());
		assertThat(manifests.kind("Deployment")).hasSize(1);
		assertThat(list(container(manifests).get("args"))).noneMatch((arg) -> arg.toString().contains("redis"));
	}

	@Test
	void redisDeployRendersARedisThatJunctionPodsUseAndNoJunctionSelectorPicks() {
		Manifests manifests = render((helm) -> helm.set("redis.deploy", "true"));
		Map<String, Object> redis = manifests.named("Deployment", "junction-redis");
		Map<String, Object> service = manifests.named("Service", "junction-redis");
		Map<String, Object> redisLabels = map(get(redis, "spec", "template", "metadata", "labels"));
		assertThat(map(get(service, "spec", "selector")).entrySet()).isSubsetOf(redisLabels.entrySet());
		Map<String, Object> junction = manifests.named("Deployment", "junction");
		Map<String, Object> junctionSelector = map(get(junction, "spec", "selector", "matchLabels"));
		assertThat(redisLabels.entrySet().containsAll(junctionSelector.entrySet()))
			.as("the Redis pod is no Junction pod")
			.isFalse();
		List<Map<String, Object>> containers = maps(get(junction, "spec", "template", "spec", "containers"));
		assertThat(list(containers.get(0).get("args"))).contains("--spring.data.redis.host=junction-redis",
				"--spring.data.redis.port=6379");
	}

	@Test
	void redisHostPointsJunctionAtARedisOfItsOwn() {
		Manifests manifests = render(
				(helm) -> helm.set("redis.host", "cache.example.internal").set("redis.port", "6380"));
		assertThat(manifests.kind("Deployment")).hasSize(1);
		assertThat(list(container(manifests).get("args"))).contains("--spring.data.redis.host=cache.example.internal",
				"--spring.data.redis.port=6380");
		assertThatIllegalStateException()
			.isThrownBy(() -> render((helm) -> helm.set("redis.deploy", "true").set("redis.host", "cache")))
			.withMessageContaining("redis.deploy and redis.host are both set");
	}

	@Test
	void configCheckCanBeTurnedOff() {
		Manifests hooks = renderWithHooks((helm) -> helm.set("configCheck.enabled", "false"));
		assertThat(hooks.kind("Job")).isEmpty();
		assertThat(hooks.kind("ConfigMap")).extracting((map) -> get(map, "metadata", "name"))
			.containsExactly("junction");
	}

	@Test
	void loadBalancerServiceExposesOnlyTheTrafficPort() {
		Manifests manifests = render(UnaryOperator.identity());
		Map<String, Object> container = container(manifests);
		Map<String, Object> traffic = manifests.named("Service", "junction");
		assertThat(get(traffic, "spec", "type")).isEqualTo("LoadBalancer");
		List<Map<String, Object>> ports = maps(get(traffic, "spec", "ports"));
		assertThat(ports).singleElement().satisfies((port) -> {
			assertThat(port.get("port")).isEqualTo(80);
			assertThat(containerPort(container, port.get("targetPort"))).isEqualTo(8080);
		});
		for (Map<String, Object> service : manifests.kind("Service")) {
			if (!"ClusterIP".equals(get(service, "spec", "type"))) {
				assertThat(maps(get(service, "spec", "ports")))
					.noneMatch((port) -> containerPort(container, port.get("targetPort")) == 8081)
					.noneMatch((port) -> Integer.valueOf(8081).equals(port.get("port")));
			}
		}
	}

	@Test
	void managementServiceStaysInsideTheCluster() {
		Manifests manifests = render(UnaryOperator.identity());
		Map<String, Object> management = manifests.named("Service", "junction-management");
		assertThat(get(management, "spec", "type")).isEqualTo("ClusterIP");
		assertThat(maps(get(management, "spec", "ports"))).singleElement().satisfies((port) -> {
			assertThat(port.get("port")).isEqualTo(8081);
			assertThat(containerPort(container(manifests), port.get("targetPort"))).isEqualTo(8081);
		});
	}

	@Test
	void awsLoadBalancerAnnotationsReachTheTrafficService() {
		Map<String, Object> traffic = render(
				(helm) -> helm.withValuesFile(CHART.resolve("ci/servicemonitor-values.yaml")))
			.named("Service", "junction");
		assertThat(map(get(traffic, "metadata", "annotations")))
			.containsEntry("service.beta.kubernetes.io/aws-load-balancer-healthcheck-path",
					"/actuator/health/readiness")
			.containsEntry("service.beta.kubernetes.io/aws-load-balancer-healthcheck-port", "8081");
	}

	@Test
	void serviceMonitorIsAbsentByDefault() {
		assertThat(render(UnaryOperator.identity()).kind("ServiceMonitor")).isEmpty();
	}

	@Test
	void serviceMonitorScrapesPrometheusOnTheManagementServiceWhenEnabled() {
		Manifests manifests = render((helm) -> helm.withValuesFile(CHART.resolve("ci/servicemonitor-values.yaml")));
		Map<String, Object> monitor = manifests.one("ServiceMonitor");
		assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
		assertThat(map(get(monitor, "metadata", "labels"))).containsEntry("release", "kube-prometheus-stack");
		assertThat(maps(get(monitor, "spec", "endpoints"))).singleElement().satisfies((endpoint) -> {
			assertThat(endpoint.get("port")).isEqualTo("management");
			assertThat(endpoint.get("path")).isEqualTo("/actuator/prometheus");
		});
		Map<String, Object> selector = map(get(monitor, "spec", "selector", "matchLabels"));
		assertThat(manifests.kind("Service")).filteredOn((service) -> labelsMatch(service, selector))
			.singleElement()
			.satisfies((service) -> assertThat(maps(get(service, "spec", "ports")))
				.anyMatch((port) -> "management".equals(port.get("name"))));
	}

	@Test
	void grafanaDashboardIsAbsentByDefault() {
		assertThat(render(UnaryOperator.identity()).kind("ConfigMap")).extracting((map) -> get(map, "metadata", "name"))
			.containsExactly("junction");
	}

	@Test
	void grafanaDashboardConfigMapCarriesTheDashboardAndTheSidecarLabelWhenEnabled() throws IOException {
		Manifests manifests = render((helm) -> helm.withValuesFile(CHART.resolve("ci/servicemonitor-values.yaml")));
		Map<String, Object> dashboard = manifests.named("ConfigMap", "junction-dashboard");
		assertThat(get(dashboard, "metadata", "namespace")).isEqualTo("edge");
		assertThat(map(get(dashboard, "metadata", "labels"))).containsEntry("grafana_dashboard", "1")
			.containsEntry("app.kubernetes.io/part-of", "junction");
		assertThat(map(get(dashboard, "metadata", "annotations"))).containsEntry("grafana_folder", "Junction");
		// The chart's own copy, unchanged: the one file is the dashboard's only source.
		assertThat(get(dashboard, "data", "junction-dashboard.json"))
			.isEqualTo(Files.readString(CHART.resolve("dashboards/junction.json")));
		assertThat(map(get(manifests.named("ConfigMap", "junction"), "data"))).containsOnlyKeys("junction.yml");
	}

	@Test
	void grafanaDashboardGoesToTheNamespaceGrafanaWatchesWhenOneIsSet() {
		Manifests manifests = render((helm) -> helm.set("grafanaDashboard.enabled", "true")
			.set("grafanaDashboard.namespace", "monitoring")
			.set("grafanaDashboard.labels.grafana_dashboard", "junction"));
		Map<String, Object> dashboard = manifests.named("ConfigMap", "junction-dashboard");
		assertThat(get(dashboard, "metadata", "namespace")).isEqualTo("monitoring");
		assertThat(map(get(dashboard, "metadata", "labels"))).containsEntry("grafana_dashboard", "junction");
		assertThat(map(get(dashboard, "metadata"))).doesNotContainKey("annotations");
	}

	@Test
	void gracePeriodOutlastsDrainDelayPlusShutdownPhase() {
		Manifests manifests = render(UnaryOperator.identity());
		String drainArgument = list(container(manifests).get("args")).stream()
			.map(String.class::cast)
			.filter((argument) -> argument.startsWith(DRAIN_DELAY))
			.findFirst()
			.orElseThrow();
		Duration drainDelay = DurationStyle.detectAndParse(drainArgument.substring(DRAIN_DELAY.length()));
		assertThat(drainDelay).isEqualTo(Duration.ofSeconds(10));
		int gracePeriod = (int) get(manifests.one("Deployment"), "spec", "template", "spec",
				"terminationGracePeriodSeconds");
		assertThat(Duration.ofSeconds(gracePeriod)).isGreaterThan(drainDelay.plus(SHUTDOWN_PHASE));
	}

	@Test
	void gracePeriodTooShortForTheDrainIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> render((helm) -> helm.set("drainDelay", "30s")))
			.withMessageContaining("terminationGracePeriodSeconds 45 must be more than drainDelay (30s)")
			.withMessageContaining("at least 51");
		Map<String, Object> container = container(
				render((helm) -> helm.set("drainDelay", "30s").set("terminationGracePeriodSeconds", "60")));
		assertThat(list(container.get("args"))).contains(DRAIN_DELAY + "30s");
	}

	@Test
	void longerShutdownPhaseInConfigNeedsALongerGracePeriod() {
		assertThatIllegalStateException()
			.isThrownBy(() -> render((helm) -> helm.set("config.spring.lifecycle.timeout-per-shutdown-phase", "40s")))
			.withMessageContaining("plus the shutdown phase (40s)")
			.withMessageContaining("at least 51");
	}

	@Test
	void extraArgsFollowTheChartsArguments() {
		List<Object> args = list(
				container(render((helm) -> helm.set("extraArgs[0]", "--logging.level.io.junction=debug"))).get("args"));
		assertThat(args).containsExactly(ADDITIONAL_LOCATION, DRAIN_DELAY + "10s", "--logging.level.io.junction=debug");
	}

	private static Manifests render(UnaryOperator<TemplateCommand> options) {
		return render(CHART, options);
	}

	/**
	 * Renders the hooks too, as ordinary objects. Helm's template leaves hooks out of
	 * what helm-java returns (it has no --show-only), so this renders the copy of the
	 * chart in which {@value #HOOK} is renamed, and names it back.
	 */
	private static Manifests renderWithHooks(UnaryOperator<TemplateCommand> options) {
		Manifests manifests = render(chartWithoutHooks, options);
		for (Map<String, Object> document : manifests.documents()) {
			Object annotations = map(document.get("metadata")).get("annotations");
			if (annotations != null && map(annotations).containsKey(RENAMED_HOOK)) {
				map(annotations).put(HOOK, map(annotations).remove(RENAMED_HOOK));
			}
		}
		return manifests;
	}

	private static Manifests render(Path chart, UnaryOperator<TemplateCommand> options) {
		TemplateCommand template = new Helm(chart).template().withName("junction").withNamespace("edge");
		String yaml = options.apply(template).call();
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml().loadAll(yaml)) {
			if (document != null) {
				documents.add(map(document));
			}
		}
		return new Manifests(documents);
	}

	private static Map<String, Object> container(Manifests manifests) {
		List<Map<String, Object>> containers = maps(
				get(manifests.one("Deployment"), "spec", "template", "spec", "containers"));
		assertThat(containers).hasSize(1);
		return containers.get(0);
	}

	private static Map<String, Object> jobContainer(Map<String, Object> job) {
		List<Map<String, Object>> containers = maps(get(job, "spec", "template", "spec", "containers"));
		assertThat(containers).hasSize(1);
		return containers.get(0);
	}

	private static int hookWeight(Map<String, Object> hook) {
		return Integer.parseInt((String) get(hook, "metadata", "annotations", "helm.sh/hook-weight"));
	}

	/** The container port a probe or Service names, by number or by name. */
	private static int containerPort(Map<String, Object> container, Object port) {
		if (port instanceof Integer number) {
			return number;
		}
		return maps(container.get("ports")).stream()
			.filter((candidate) -> port.equals(candidate.get("name")))
			.map((candidate) -> (Integer) candidate.get("containerPort"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no container port named " + port));
	}

	private static Map<String, Object> volume(Map<String, Object> pod, String name) {
		return maps(pod.get("volumes")).stream()
			.filter((volume) -> name.equals(volume.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no volume named " + name));
	}

	private static Map<String, Object> junctionYml(Manifests manifests) {
		return junctionYml(manifests.one("ConfigMap"));
	}

	private static Map<String, Object> junctionYml(Map<String, Object> configMap) {
		String text = (String) get(configMap, "data", "junction.yml");
		Object loaded = new Yaml().load(text);
		return (loaded != null) ? map(loaded) : Map.of();
	}

	private static Map<String, Object> podTemplateMetadata(Manifests manifests) {
		return map(get(manifests.one("Deployment"), "spec", "template", "metadata"));
	}

	private static String configChecksum(Manifests manifests) {
		return (String) get(manifests.one("Deployment"), "spec", "template", "metadata", "annotations",
				"checksum/config");
	}

	private static boolean labelsMatch(Map<String, Object> resource, Map<String, Object> selector) {
		Map<String, Object> labels = map(get(resource, "metadata", "labels"));
		return labels.entrySet().containsAll(selector.entrySet());
	}

	private static Object get(Object node, String... path) {
		Object current = node;
		for (String key : path) {
			assertThat(current).as("parent of %s", key).isInstanceOf(Map.class);
			current = map(current).get(key);
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object node) {
		assertThat(node).isInstanceOf(Map.class);
		return (Map<String, Object>) node;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object node) {
		assertThat(node).isInstanceOf(List.class);
		return (List<Object>) node;
	}

	private static List<Map<String, Object>> maps(Object node) {
		List<Map<String, Object>> maps = new ArrayList<>();
		for (Object element : list(node)) {
			maps.add(map(element));
		}
		return maps;
	}

	/** The objects of one rendering, by kind and name. */
	private record Manifests(List<Map<String, Object>> documents) {

		List<Map<String, Object>> kind(String kind) {
			return this.documents.stream().filter((document) -> kind.equals(document.get("kind"))).toList();
		}

		Map<String, Object> one(String kind) {
			List<Map<String, Object>> found = kind(kind);
			assertThat(found).as("rendered %s objects", kind).hasSize(1);
			return found.get(0);
		}

		Map<String, Object> named(String kind, String name) {
			return kind(kind).stream()
				.filter((document) -> name.equals(get(document, "metadata", "name")))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
		}

	}

}

package io.junction;

import java.util.List;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The seed's app servers, real and on loopback, shared by every test class that runs the
 * seed's routing (src/test/resources/application-seed.yml). Started once per test JVM.
 */
public final class SeedApps {

	public static final List<TestAppServer> FOO = TestAppServer.startAll("foo-app01", "foo-app02", "foo-app03");

	public static final List<TestAppServer> BAR = TestAppServer.startAll("bar-app01", "bar-app02", "bar-app03");

	public static final TestAppServer WEBSITE = TestAppServer.start("webserver");

	public static final List<TestAppServer> ALL = List.of(FOO.get(0), FOO.get(1), FOO.get(2), BAR.get(0), BAR.get(1),
			BAR.get(2), WEBSITE);

	private SeedApps() {
	}

	/** Points the seed's pools at the running servers. */
	public static void register(DynamicPropertyRegistry registry) {
		for (int i = 0; i < 3; i++) {
			String foo = "junction.backends.services-foo-v1.servers[" + i + "]";
			registry.add(foo + ".name", FOO.get(i)::name);
			registry.add(foo + ".url", FOO.get(i)::url);
			String bar = "junction.backends.services-bar-v1.servers[" + i + "]";
			registry.add(bar + ".name", BAR.get(i)::name);
			registry.add(bar + ".url", BAR.get(i)::url);
		}
		registry.add("junction.backends.website.servers[0].name", WEBSITE::name);
		registry.add("junction.backends.website.servers[0].url", WEBSITE::url);
	}

	/** Forgets what every seed server received, so a test sees only its own requests. */
	public static void clear() {
		ALL.forEach(TestAppServer::clear);
	}

}

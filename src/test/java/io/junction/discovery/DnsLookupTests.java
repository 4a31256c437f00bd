package io.junction.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.junction.discovery.DnsLookupException.Reason;
import io.junction.discovery.TestDnsServer.Srv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lookups against an in-process DNS server on 127.0.0.1 whose answers change during the
 * test.
 */
class DnsLookupTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final TestDnsServer server = new TestDnsServer();

	private final DnsLookup lookup = new DnsLookup(List.of(this.server.address()), TIMEOUT);

	@AfterEach
	void close() {
		this.lookup.close();
		this.server.close();
	}

	@Test
	void aRecordsGiveTheAddressesWithThePortSortedWithoutDuplicates() throws Exception {
		this.server.set("app.test", List.of(ip("10.0.0.2"), ip("10.0.0.10"), ip("10.0.0.1"), ip("10.0.0.2")));

		assertThat(lookup("app.test", 8080)).containsExactly(address("10.0.0.1", 8080), address("10.0.0.2", 8080),
				address("10.0.0.10", 8080));
	}

	@Test
	void aChangedAnswerIsSeenOnTheNextLookup() throws Exception {
		this.server.set("app.test", List.of(ip("10.0.0.1")));
		assertThat(lookup("app.test", 8080)).containsExactly(address("10.0.0.1", 8080));
		int queries = this.server.queries();

		this.server.set("app.test", List.of(ip("10.0.0.2"), ip("10.0.0.3")));

		assertThat(lookup("app.test", 8080)).containsExactly(address("10.0.0.2", 8080), address("10.0.0.3", 8080));
		assertThat(this.server.queries()).isGreaterThan(queries);
	}

	@Test
	void aaaaRecordsComeAfterTheARecords() throws Exception {
		this.server.set("app.test", List.of(ip("::1"), ip("10.0.0.1")));

		assertThat(lookup("app.test", 8080)).containsExactly(address("10.0.0.1", 8080), address("::1", 8080));
	}

	@Test
	void srvRecordsGiveTheirTargetsAddressesWithTheSrvPorts() throws Exception {
		this.server.setSrv("_http._tcp.app.test",
				List.of(new Srv(8082, "app-2.test"), new Srv(8081, "app-1.test"), new Srv(9090, "app-1.test")));
		this.server.set("app-1.test", List.of(ip("10.0.0.1")));
		this.server.set("app-2.test", List.of(ip("10.0.0.2"), ip("::2")));

		assertThat(lookup("_http._tcp.app.test", 1)).containsExactly(address("10.0.0.1", 8081),
				address("10.0.0.1", 9090), address("10.0.0.2", 8082), address("::2", 8082));
	}

	@Test
	void srvTargetOutsideTheQuestionsDomainIsFound() throws Exception {
		this.server.setSrv("_http._tcp.app.test", List.of(new Srv(8081, "node-1.elsewhere")));
		this.server.set("node-1.elsewhere", List.of(ip("10.0.0.1")));

		assertThat(lookup("_http._tcp.app.test", 1)).containsExactly(address("10.0.0.1", 8081));
	}

	@Test
	void srvTargetWithoutAddressIsLeftOut() throws Exception {
		this.server.setSrv("_http._tcp.app.test", List.of(new Srv(8081, "app-1.test"), new Srv(8082, "gone.test")));
		this.server.set("app-1.test", List.of(ip("10.0.0.1")));

		assertThat(lookup("_http._tcp.app.test", 1)).containsExactly(address("10.0.0.1", 8081));
	}

	@Test
	void noSuchNameIsADnsLookupExceptionNamingTheNameAndTheServer() {
		StepVerifier.create(this.lookup.lookup("nope.test", 8080))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(DnsLookupException.class, (lookup) -> {
				assertThat(lookup.reason()).isEqualTo(Reason.NO_SUCH_NAME);
				assertThat(lookup.name()).isEqualTo("nope.test");
				assertThat(lookup).hasMessageContaining("nope.test")
					.hasMessageContaining("127.0.0.1:" + this.server.address().getPort());
			}))
			.verify(TIMEOUT);
	}

	@Test
	void removedNameIsNoSuchNameOnTheNextLookup() throws Exception {
		this.server.set("app.test", List.of(ip("10.0.0.1")));
		assertThat(lookup("app.test", 8080)).hasSize(1);

		this.server.remove("app.test");

		StepVerifier.create(this.lookup.lookup("app.test", 8080))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(DnsLookupException.class,
					(lookup) -> assertThat(lookup.reason()).isEqualTo(Reason.NO_SUCH_NAME)))
			.verify(TIMEOUT);
	}

	@Test
	void emptyAnswerIsADnsLookupException() {
		this.server.set("app.test", List.of());
		this.server.setSrv("_http._tcp.app.test", List.of());

		StepVerifier.create(this.lookup.lookup("app.test", 8080))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(DnsLookupException.class,
					(lookup) -> assertThat(lookup.reason()).isEqualTo(Reason.NO_RECORDS)))
			.verify(TIMEOUT);
		StepVerifier.create(this.lookup.lookup("_http._tcp.app.test", 8080))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(DnsLookupException.class, (lookup) -> {
				assertThat(lookup.reason()).isEqualTo(Reason.NO_RECORDS);
				assertThat(lookup).hasMessageContaining("_http._tcp.app.test");
			}))
			.verify(TIMEOUT);
	}

	@Test
	void silentServerIsADnsLookupExceptionAfterTheTimeout() {
		Duration timeout = Duration.ofMillis(300);
		this.server.silent(true);
		try (DnsLookup lookup = new DnsLookup(List.of(this.server.address()), timeout)) {
			Duration took = StepVerifier.create(lookup.lookup("app.test", 8080))
				.expectErrorSatisfies(
						(ex) -> assertThat(ex).isInstanceOfSatisfying(DnsLookupException.class, (failure) -> {
							assertThat(failure.reason()).isEqualTo(Reason.TIMEOUT);
							assertThat(failure).hasMessageContaining("app.test")
								.hasMessageContaining("127.0.0.1:" + this.server.address().getPort());
						}))
				.verify(Duration.ofSeconds(3));
			assertThat(took).isBetween(timeout.minusMillis(50), timeout.multipliedBy(5));
		}
	}

	@Test
	void lookupNeitherBlocksTheCallerNorSignalsOnItsThread() throws Exception {
		this.server.silent(true);
		long start = System.nanoTime();
		Disposable pending = this.lookup.lookup("app.test", 8080).subscribe();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.dividedBy(2));
		await().atMost(TIMEOUT).until(() -> this.server.queries() > 0);
		pending.dispose();

		this.server.silent(false);
		this.server.set("app.test", List.of(ip("10.0.0.1")));
		CompletableFuture<Thread> signalled = new CompletableFuture<>();
		this.lookup.lookup("app.test", 8080).subscribe((addresses) -> signalled.complete(Thread.currentThread()));
		assertThat(signalled.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isNotSameAs(Thread.currentThread())
			.satisfies((thread) -> assertThat(thread.getName()).startsWith("junction-dns"));
	}

	@Test
	void nothingIsAskedUntilSubscription() throws Exception {
		this.server.set("app.test", List.of(ip("10.0.0.1")));
		Mono<List<InetSocketAddress>> lookup = this.lookup.lookup("app.test", 8080);
		assertThat(this.server.queries()).isZero();

		assertThat(lookup.block(TIMEOUT)).hasSize(1);
		int queries = this.server.queries();
		assertThat(lookup.block(TIMEOUT)).hasSize(1);
		assertThat(this.server.queries()).isGreaterThan(queries);
	}

	private List<InetSocketAddress> lookup(String name, int port) {
		return this.lookup.lookup(name, port).block(TIMEOUT);
	}

	private static InetAddress ip(String literal) throws UnknownHostException {
		return InetAddress.getByName(literal);
	}

	private static InetSocketAddress address(String literal, int port) throws UnknownHostException {
		return new InetSocketAddress(ip(literal), port);
	}

}

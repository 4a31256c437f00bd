package io.junction.discovery;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.junction.discovery.DnsLookupException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStream;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Asks DNS which addresses a name has now, as HAProxy's {@code resolvers} do for a
 * {@code server-template}: A and AAAA records, or, for a name that starts with {@code _}
 * (such as {@code _http._tcp.app.svc}), SRV records whose targets are then looked up in
 * turn. Every lookup asks the servers: nothing is cached, whatever the TTL, since the
 * caller looks up again on its own interval.
 * <p>
 * Lookups run on a single daemon event loop thread of their own ({@code junction-dns});
 * nothing blocks, and the returned {@link Mono} signals on that thread, so a subscriber
 * must not block either. {@link #close()} releases the thread and the socket.
 */
public final class DnsLookup implements AutoCloseable {

	// IPv4 before IPv6, then by address, then by port: the same answer in any order
	// gives the same list, so that a caller can tell when the servers changed.
	private static final Comparator<InetSocketAddress> ORDER = Comparator
		.<InetSocketAddress>comparingInt((address) -> address.getAddress().getAddress().length)
		.thenComparing((address) -> address.getAddress().getAddress(), Arrays::compareUnsigned)
		.thenComparingInt(InetSocketAddress::getPort);

	private static final String ROOT = ".";

	private final DnsServerAddressStreamProvider servers;

	private final boolean systemServers;

	private final Duration timeout;

	private final EventLoopGroup loop;

	private final DnsNameResolver resolver;

	/**
	 * A lookup that asks the given DNS servers.
	 * @param servers the DNS servers to ask, in order (the next one when one does not
	 * answer); empty for the system's, from {@code /etc/resolv.conf}, whose search
	 * domains and {@code ndots} then apply too
	 * @param timeout how long to wait for each server's answer to each query
	 */
	public DnsLookup(List<InetSocketAddress> servers, Duration timeout) {
		if (timeout.isNegative() || timeout.toMillis() < 1) {
			throw new IllegalArgumentException("DNS timeout must be at least 1ms, not " + timeout);
		}
		this.systemServers = servers.isEmpty();
		this.servers = this.systemServers ? DnsServerAddressStreamProviders.platformDefault()
				: new SequentialDnsServerAddressStreamProvider(servers);
		this.timeout = timeout;
		this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("junction-dns", true),
				NioIoHandler.newFactory());
		try {
			this.resolver = resolver();
		}
		catch (RuntimeException ex) {
			this.loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
			throw ex;
		}
	}

	private DnsNameResolver resolver() {
		DnsNameResolverBuilder builder = new DnsNameResolverBuilder(this.loop.next())
			.datagramChannelType(NioDatagramChannel.class)
			// Over TCP when an answer is truncated: the SRV records of a large service do
			// not fit in a datagram.
			.socketChannelType(NioSocketChannel.class)
			.nameServerProvider(this.servers)
			.queryTimeoutMillis(this.timeout.toMillis())
			.resolveCache(NoopDnsCache.INSTANCE)
			.cnameCache(NoopDnsCnameCache.INSTANCE)
			.authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
			// Both A and AAAA are asked, and both answers are waited for and kept.
			.resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
			.completeOncePreferredResolved(false)
			// The servers are what is discovered: /etc/hosts must not answer for them.
			.hostsFileEntriesResolver((name, types) -> null);
		if (!this.systemServers) {
			// Servers named in the configuration get names exactly as written.
			builder.searchDomains(List.of());
		}
		return builder.build();
	}

	/**
	 * The addresses {@code name} has now, each with a port. For a name that starts with
	 * {@code _}, an SRV lookup: each target's A and AAAA addresses with the port of its
	 * SRV record ({@code port} is then ignored); a target without addresses is left out,
	 * every target is used whatever its priority and weight. Otherwise the name's A and
	 * AAAA addresses with {@code port}. Nothing is asked until subscription, and each
	 * subscription asks again.
	 * @param name the name to look up
	 * @param port the port of the addresses of an A/AAAA lookup
	 * @return the addresses, sorted (IPv4 first, then by address and port) and without
	 * duplicates, never empty; or a {@link DnsLookupException}
	 */
	public Mono<List<InetSocketAddress>> lookup(String name, int port) {
		if (name.isEmpty()) {
			throw new IllegalArgumentException("DNS name must not be empty");
		}
		if (name.startsWith("_")) {
			return srv(name);
		}
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("Port of " + name + " must be 0 to 65535, not " + port);
		}
		return addresses(name, name, Set.of(port)).map(List::copyOf);
	}

	private Mono<Set<InetSocketAddress>> addresses(String lookedUp, String name, Set<Integer> ports) {
		return DnsLookup
			.<List<InetAddress>, Set<InetSocketAddress>>ask(() -> this.resolver.resolveAll(name),
					(found) -> withPorts(found, ports))
			.onErrorMap((ex) -> failure(lookedUp, name, "A/AAAA", ex));
	}

	private static Set<InetSocketAddress> withPorts(List<InetAddress> found, Set<Integer> ports) {
		Set<InetSocketAddress> addresses = new TreeSet<>(ORDER);
		for (InetAddress address : found) {
			for (int port : ports) {
				addresses.add(new InetSocketAddress(address, port));
			}
		}
		return addresses;
	}

	private Mono<List<InetSocketAddress>> srv(String name) {
		return DnsLookup
			.<List<DnsRecord>, List<SrvRecord>>ask(
					() -> this.resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.SRV)),
					DnsLookup::srvRecords)
			.onErrorMap((ex) -> failure(name, name, "SRV", ex))
			.flatMap((records) -> targets(name, records));
	}

	private Mono<List<InetSocketAddress>> targets(String name, List<SrvRecord> records) {
		// A target may serve on several ports; "." is RFC 2782's "no service here".
		Map<String, Set<Integer>> portsByTarget = new LinkedHashMap<>();
		for (SrvRecord record : records) {
			if (!ROOT.equals(record.target())) {
				portsByTarget.computeIfAbsent(record.target(), (target) -> new LinkedHashSet<>()).add(record.port());
			}
		}
		if (portsByTarget.isEmpty()) {
			return Mono.error(new DnsLookupException(name, Reason.NO_RECORDS,
					"DNS has no SRV records with a target for " + name + " (asked " + describeServers(name) + ")",
					null));
		}
		return Flux.fromIterable(portsByTarget.entrySet())
			.flatMap((target) -> addresses(name, target.getKey(), target.getValue())
				// A target that is gone is left out; one whose server did not answer
				// fails the lookup, rather than shrink the list on a passing outage.
				.onErrorResume(DnsLookupException.class,
						(ex) -> (ex.reason() == Reason.NO_SUCH_NAME || ex.reason() == Reason.NO_RECORDS) ? Mono.empty()
								: Mono.error(ex)))
			.collect(() -> new TreeSet<>(ORDER), Set::addAll)
			.flatMap((addresses) -> addresses.isEmpty() ? Mono.error(noTargetAddress(name, portsByTarget.keySet()))
					: Mono.just(List.copyOf(addresses)));
	}

	private DnsLookupException noTargetAddress(String name, Set<String> targets) {
		return new DnsLookupException(name, Reason.NO_RECORDS, "None of the SRV targets of " + name
				+ " has an address in DNS: " + String.join(", ", targets) + " (asked " + describeServers(name) + ")",
				null);
	}

	// Netty hands over retained records: they are read and released here, on the event
	// loop, before anything else can happen to them.
	private static List<SrvRecord> srvRecords(List<DnsRecord> records) {
		try {
			List<SrvRecord> srv = new ArrayList<>(records.size());
			for (DnsRecord record : records) {
				if (record.type() == DnsRecordType.SRV && record instanceof DnsRawRecord raw) {
					srv.add(SrvRecord.decode(raw.content()));
				}
			}
			return srv;
		}
		finally {
			records.forEach(ReferenceCountUtil::release);
		}
	}

	// A Mono of one query: asked at subscription, cancelled with the subscription, and
	// the
	// answer turned into its result on the event loop as soon as it arrives.
	private static <T, R> Mono<R> ask(Supplier<Future<T>> query, Function<T, R> answer) {
		return Mono.create((sink) -> {
			Future<T> future = query.get();
			sink.onCancel(() -> future.cancel(false));
			future.addListener((FutureListener<T>) (done) -> {
				if (done.isSuccess()) {
					R result;
					try {
						result = answer.apply(done.getNow());
					}
					catch (RuntimeException ex) {
						sink.error(ex);
						return;
					}
					sink.success(result);
				}
				else if (!done.isCancelled()) {
					sink.error(done.cause());
				}
			});
		});
	}

	private DnsLookupException failure(String lookedUp, String name, String types, Throwable ex) {
		if (ex instanceof DnsLookupException lookup) {
			return lookup;
		}
		String subject = name.equals(lookedUp) ? name : name + " (SRV target of " + lookedUp + ")";
		String asked = "asked " + describeServers(name);
		Reason reason = reason(ex);
		String message = switch (reason) {
			case NO_SUCH_NAME -> "No such name in DNS: " + subject + " (NXDOMAIN; " + asked + ")";
			case NO_RECORDS -> "DNS has no " + types + " records for " + subject + " (" + asked + ")";
			case TIMEOUT -> "No DNS answer for " + subject + " within " + this.timeout.toMillis() + "ms (" + asked
					+ "): the servers are down, unreachable or slow";
			case FAILED -> "DNS lookup of " + subject + " failed (" + asked + "): " + ex.getMessage();
		};
		return new DnsLookupException(lookedUp, reason, message, ex);
	}

	// Netty fails a resolution with an UnknownHostException whose causes tell a timeout
	// and an error code apart from an answer that simply had no records.
	private static Reason reason(Throwable ex) {
		boolean onlyUnknownHost = true;
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof DnsNameResolverTimeoutException) {
				return Reason.TIMEOUT;
			}
			if (cause instanceof DnsErrorCauseException error) {
				return (error.getCode() == DnsResponseCode.NXDOMAIN) ? Reason.NO_SUCH_NAME : Reason.FAILED;
			}
			onlyUnknownHost &= cause instanceof UnknownHostException;
		}
		return onlyUnknownHost ? Reason.NO_RECORDS : Reason.FAILED;
	}

	private String describeServers(String name) {
		DnsServerAddressStream stream = this.servers.nameServerAddressStream(name);
		List<InetSocketAddress> asked = new ArrayList<>(stream.size());
		for (int i = 0; i < stream.size(); i++) {
			asked.add(stream.next());
		}
		String listed = asked.stream().map(DnsLookup::hostAndPort).distinct().collect(Collectors.joining(", "));
		return this.systemServers ? listed + " from the system's resolver configuration" : listed;
	}

	private static String hostAndPort(InetSocketAddress address) {
		InetAddress ip = address.getAddress();
		String host = (ip != null) ? ip.getHostAddress() : address.getHostString();
		return ((ip instanceof Inet6Address) ? "[" + host + "]" : host) + ":" + address.getPort();
	}

	/**
	 * Stops the lookups: those in progress fail, the thread and the socket are released.
	 * Does not wait.
	 */
	@Override
	public void close() {
		this.resolver.close();
		this.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
	}

	/**
	 * One SRV record (RFC 2782).
	 */
	private record SrvRecord(int priority, int weight, int port, String target) {

		// The target may be compressed against names earlier in the message: the content
		// is a view of the whole message, positioned at this record's data, so that
		// decodeName can follow the pointers.
		static SrvRecord decode(ByteBuf content) {
			ByteBuf data = content.duplicate();
			if (data.readableBytes() < 7) {
				throw new IllegalStateException("Malformed SRV record: " + data.readableBytes() + " bytes");
			}
			int priority = data.readUnsignedShort();
			int weight = data.readUnsignedShort();
			int port = data.readUnsignedShort();
			return new SrvRecord(priority, weight, port, DefaultDnsRecordDecoder.decodeName(data));
		}

	}

}

package io.junction.discovery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

/**
 * A DNS server on a random UDP port of 127.0.0.1 whose answers a test changes while it
 * runs. A name that was never {@link #set set} (or was {@link #remove removed}) is
 * NXDOMAIN; a name that exists but has no records of the type asked is an empty answer.
 * Every answer is authoritative and has TTL 0. SRV targets are written compressed against
 * the question name where they share a suffix with it, as many servers do.
 */
final class TestDnsServer implements AutoCloseable {

	// The question section starts right after the 12-byte header, and Netty's encoder
	// writes its name uncompressed: SRV targets can point into it.
	private static final int QUESTION_NAME_OFFSET = 12;

	private static final String ROOT = ".";

	private final Map<String, Records> names = new ConcurrentHashMap<>();

	private final AtomicInteger queries = new AtomicInteger();

	private volatile boolean silent;

	private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final Channel channel;

	TestDnsServer() {
		this.channel = new Bootstrap().group(this.loop)
			.channel(NioDatagramChannel.class)
			.handler(new ChannelInitializer<DatagramChannel>() {

				@Override
				protected void initChannel(DatagramChannel channel) {
					channel.pipeline()
						.addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Answers());
				}

			})
			.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
			.syncUninterruptibly()
			.channel();
	}

	/**
	 * Where the server listens.
	 */
	InetSocketAddress address() {
		return (InetSocketAddress) this.channel.localAddress();
	}

	/**
	 * The A and AAAA records of {@code name} from now on (its SRV records are kept); an
	 * empty list makes it a name without addresses.
	 */
	void set(String name, List<InetAddress> addresses) {
		this.names.merge(key(name), new Records(List.copyOf(addresses), List.of()),
				(old, set) -> new Records(set.addresses(), old.srv()));
	}

	/**
	 * The SRV records of {@code name} from now on (its addresses are kept).
	 */
	void setSrv(String name, List<Srv> records) {
		this.names.merge(key(name), new Records(List.of(), List.copyOf(records)),
				(old, set) -> new Records(old.addresses(), set.srv()));
	}

	/**
	 * Makes {@code name} NXDOMAIN from now on.
	 */
	void remove(String name) {
		this.names.remove(key(name));
	}

	/**
	 * Whether the server drops every query without an answer, as a server that is down or
	 * cut off does.
	 */
	void silent(boolean silent) {
		this.silent = silent;
	}

	/**
	 * How many queries the server received, answered or not.
	 */
	int queries() {
		return this.queries.get();
	}

	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
		this.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	private static String key(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return lower.endsWith(".") ? lower : lower + ".";
	}

	/**
	 * One SRV record: priority 0, weight 0.
	 */
	record Srv(int port, String target) {

	}

	private record Records(List<InetAddress> addresses, List<Srv> srv) {

	}

	private final class Answers extends SimpleChannelInboundHandler<DatagramDnsQuery> {

		@Override
		protected void channelRead0(ChannelHandlerContext context, DatagramDnsQuery query) {
			TestDnsServer.this.queries.incrementAndGet();
			if (TestDnsServer.this.silent) {
				return;
			}
			DnsQuestion question = query.recordAt(DnsSection.QUESTION);
			DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
			response.setAuthoritativeAnswer(true);
			response.setRecursionDesired(query.isRecursionDesired());
			response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
			Records records = TestDnsServer.this.names.get(key(question.name()));
			if (records == null) {
				response.setCode(DnsResponseCode.NXDOMAIN);
			}
			else {
				for (ByteBuf data : data(question, records)) {
					response.addRecord(DnsSection.ANSWER,
							new DefaultDnsRawRecord(question.name(), question.type(), 0, data));
				}
			}
			context.writeAndFlush(response);
		}

		private List<ByteBuf> data(DnsQuestion question, Records records) {
			List<ByteBuf> data = new ArrayList<>();
			if (question.type() == DnsRecordType.A || question.type() == DnsRecordType.AAAA) {
				Class<?> type = (question.type() == DnsRecordType.A) ? Inet4Address.class : Inet6Address.class;
				for (InetAddress address : records.addresses()) {
					if (type.isInstance(address)) {
						data.add(Unpooled.wrappedBuffer(address.getAddress()));
					}
				}
			}
			else if (question.type() == DnsRecordType.SRV) {
				for (Srv srv : records.srv()) {
					ByteBuf buffer = Unpooled.buffer();
					buffer.writeShort(0).writeShort(0).writeShort(srv.port());
					writeName(buffer, key(srv.target()), question.name());
					data.add(buffer);
				}
			}
			return data;
		}

		// The labels of name that the question name does not end with, then a pointer to
		// the suffix they share (or the root label when they share none).
		private void writeName(ByteBuf buffer, String name, String questionName) {
			List<String> labels = labels(name);
			List<String> questionLabels = labels(key(questionName));
			int shared = 0;
			while (shared < labels.size() && shared < questionLabels.size() && labels.get(labels.size() - 1 - shared)
				.equals(questionLabels.get(questionLabels.size() - 1 - shared))) {
				shared++;
			}
			for (String label : labels.subList(0, labels.size() - shared)) {
				byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
				buffer.writeByte(bytes.length).writeBytes(bytes);
			}
			if (shared == 0) {
				buffer.writeByte(0);
				return;
			}
			int offset = QUESTION_NAME_OFFSET;
			for (String label : questionLabels.subList(0, questionLabels.size() - shared)) {
				offset += 1 + label.length();
			}
			buffer.writeShort(0xC000 | offset);
		}

		private List<String> labels(String name) {
			return ROOT.equals(name) ? List.of() : Arrays.asList(name.substring(0, name.length() - 1).split("\\."));
		}

	}

}

package io.junction.framing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.netty.NettyPipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The response corpus fed to the handler in a Netty pipeline with the HTTP/1.1 client
 * codec, one byte per read: the framing is followed across reads, wherever they split a
 * line, a header name or a chunk size, with the same verdicts as in one read.
 */
class StrictResponseFramingTests {

	static Stream<HostileResponseTests.Entry> corpus() throws IOException {
		return HostileResponseTests.Entry.read("/framing/hostile-responses.txt").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void eachEntryReadOneBytePerReadGetsTheSameVerdict(HostileResponseTests.Entry entry) {
		EmbeddedChannel channel = channel(entry.method());
		if (entry.status() == 502) {
			assertThatExceptionOfType(BadResponseFramingException.class).isThrownBy(() -> {
				for (byte b : entry.response()) {
					channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { b }));
				}
				channel.checkException();
			});
			assertThat(channel.isOpen()).as("closed").isFalse();
		}
		else {
			for (byte b : entry.response()) {
				channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { b }));
			}
			channel.checkException();
			if (entry.close()) {
				channel.close();
			}
			else {
				assertThat(channel.pipeline().get(StrictResponseFraming.NAME)).as("still reading").isNotNull();
			}
			List<HttpObject> decoded = new ArrayList<>();
			for (HttpObject message = channel.readInbound(); message != null; message = channel.readInbound()) {
				decoded.add(message);
			}
			assertThat(decoded).last().isInstanceOf(LastHttpContent.class);
			decoded.forEach(ReferenceCountUtil::release);
		}
		channel.finishAndReleaseAll();
	}

	static Stream<HostileResponseTests.Entry> validKeptAlive() throws IOException {
		return corpus().filter((entry) -> entry.status() != 502 && !entry.close());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("validKeptAlive")
	void eachValidEntryIsFollowedToItsEndSoThatTheNextResponseIsReadToo(HostileResponseTests.Entry entry) {
		EmbeddedChannel channel = channel(entry.method());
		channel.writeOutbound(request(HttpMethod.GET));
		channel.writeInbound(Unpooled.wrappedBuffer(entry.response(),
				"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
		channel.checkException();
		long lasts = channel.inboundMessages().stream().filter(LastHttpContent.class::isInstance).count();
		assertThat(lasts).isEqualTo(2);
		channel.finishAndReleaseAll();
	}

	/** A channel with the codec, the check around it, and a request sent. */
	private static EmbeddedChannel channel(String method) {
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpClientCodec());
		StrictResponseFraming.addTo(channel.pipeline());
		channel.writeOutbound(request(HttpMethod.valueOf(method)));
		channel.outboundMessages().forEach(ReferenceCountUtil::release);
		channel.outboundMessages().clear();
		return channel;
	}

	private static DefaultFullHttpRequest request(HttpMethod method) {
		return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/");
	}

}

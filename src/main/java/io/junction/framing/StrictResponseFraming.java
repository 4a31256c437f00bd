package io.junction.framing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Reads every HTTP/1.x response on a connection to a server once, strictly, before
 * Netty's decoder does: the bytes pass on unchanged, but a response whose framing could
 * be read two ways, or that is not HTTP/1.x, is refused before any of the read that holds
 * the offending byte reaches the decoder. The connection is closed, and the try fails
 * with {@link BadResponseFramingException} (HAProxy answers such responses with 502).
 *
 * <p>
 * Refused: a status line that is not {@code HTTP/1.x SP 3DIGIT SP reason} (the reason may
 * be empty), lines not ended by CRLF (a bare LF or CR), header names that are not tokens
 * (a space or tab before the colon, a control or non-ASCII character), values with
 * control characters, folded lines, Content-Length that is not one run of digits or comes
 * twice, Transfer-Encoding other than one {@code chunked}, or with Content-Length, chunk
 * sizes that are not 1 to 16 hex digits, and chunks not ended by CRLF.
 *
 * <p>
 * Each head checked, its body is followed to find the next response: none for 1xx, 204,
 * 304 and the answer to HEAD (the methods of the requests written are noted in order, by
 * a second handler after the codec, where requests are still objects), as many bytes as
 * Content-Length says, chunk by chunk, or everything until the server closes. A
 * {@code 101} (WebSocket) ends HTTP/1.x on the connection, and both handlers leave.
 *
 * <p>
 * Headers are read as they come, across reads, into a few fields: no line is copied and
 * nothing is allocated per header. The names and values that framing does not read are
 * only checked, in runs up to the byte that ends them.
 */
public final class StrictResponseFraming extends ChannelInboundHandlerAdapter {

	/** Its name in a connection's pipeline, just before Reactor Netty's HTTP codec. */
	public static final String NAME = "junction.responseFraming";

	/** The name of the handler that notes each request's method, after the codec. */
	public static final String REQUESTS_NAME = "junction.responseFramingRequests";

	private static final Log logger = LogFactory.getLog(StrictResponseFraming.class);

	private static final byte CR = '\r';

	private static final byte LF = '\n';

	private static final byte[] HTTP_1 = ascii("HTTP/1.");

	private static final byte[] CONTENT_LENGTH = ascii("content-length");

	private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");

	private static final byte[] CHUNKED = ascii("chunked");

	// Longest Content-Length read: 18 digits stay within a long.
	private static final int MAX_LENGTH_DIGITS = 18;

	private static final int MAX_CHUNK_SIZE_DIGITS = 16;

	private static final ByteProcessor NOT_CONTROL = (b) -> !HttpChars.isControl(b);

	private static final ByteProcessor TOKEN = HttpChars::isToken;

	private enum State {

		STATUS_LINE, HEADER_NAME, HEADER_VALUE, BODY, UNTIL_CLOSE, CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_DATA, CHUNK_CR,
		CHUNK_LF, PASS, REFUSED

	}

	/** Which header's value is being read: its meaning for framing. */
	private enum Field {

		OTHER, CONTENT_LENGTH, TRANSFER_ENCODING

	}

	// The methods of the requests written and not yet answered, oldest first.
	private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);

	private final Requests requests = new Requests();

	private State state = State.STATUS_LINE;

	// A CR ended the line's bytes; only LF may come next.
	private boolean afterCr;

	// Bytes of the line so far: of the status line, the header name, or the chunk size.
	private int position;

	// Of the response whose head is being read.
	private int status;

	private long contentLength = -1;

	private boolean chunked;

	// Whether the header lines being read are a chunked body's trailers.
	private boolean trailers;

	// Of the header line being read.
	private boolean mayBeContentLength;

	private boolean mayBeTransferEncoding;

	private Field field = Field.OTHER;

	// 0 before the value, 1 in it, 2 in the spaces after it.
	private int valuePart;

	private int valueLength;

	private long number;

	// Bytes of body, or of chunk data, still to come.
	private long remaining;

	private StrictResponseFraming() {
	}

	/**
	 * Adds the check to a connection's pipeline, around Reactor Netty's HTTP/1.1 codec;
	 * nothing on a connection without one (HTTP/2, whose binary framing Netty checks).
	 */
	public static void addTo(ChannelPipeline pipeline) {
		if (pipeline.get(NettyPipeline.HttpCodec) == null) {
			return;
		}
		StrictResponseFraming framing = new StrictResponseFraming();
		pipeline.addBefore(NettyPipeline.HttpCodec, NAME, framing);
		pipeline.addAfter(NettyPipeline.HttpCodec, REQUESTS_NAME, framing.requests);
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (this.state == State.REFUSED) {
			ReferenceCountUtil.release(message);
			return;
		}
		if (!(message instanceof ByteBuf buffer)) {
			context.fireChannelRead(message);
			return;
		}
		String refusal = scan(buffer);
		if (refusal != null) {
			buffer.release();
			refuse(context, refusal);
			return;
		}
		context.fireChannelRead(buffer);
		if (this.state == State.PASS) {
			leave(context.pipeline());
		}
	}

	private void leave(ChannelPipeline pipeline) {
		if (pipeline.context(this) != null) {
			pipeline.remove(this);
		}
		if (pipeline.context(this.requests) != null) {
			pipeline.remove(this.requests);
		}
	}

	/**
	 * Closes the connection first, so that the connection pool never takes it back, then
	 * fails the response in flight; the close reaches Reactor Netty after the failure.
	 */
	private void refuse(ChannelHandlerContext context, String reason) {
		this.state = State.REFUSED;
		if (logger.isDebugEnabled()) {
			logger.debug("[" + context.channel().id().asShortText() + "] refused a response from "
					+ context.channel().remoteAddress() + ": " + reason);
		}
		context.close();
		context.fireExceptionCaught(new BadResponseFramingException(reason));
	}

	/**
	 * Reads {@code buffer} without consuming it; why its response is refused, or null.
	 */
	private @Nullable String scan(ByteBuf buffer) {
		int index = buffer.readerIndex();
		int end = buffer.writerIndex();
		while (index < end) {
			switch (this.state) {
				case PASS, UNTIL_CLOSE -> {
					return null;
				}
				case BODY, CHUNK_DATA -> {
					int skipped = (int) Math.min(this.remaining, end - index);
					index += skipped;
					this.remaining -= skipped;
					if (this.remaining == 0) {
						this.state = (this.state == State.BODY) ? State.STATUS_LINE : State.CHUNK_CR;
					}
				}
				case CHUNK_CR, CHUNK_LF -> {
					byte expected = (this.state == State.CHUNK_CR) ? CR : LF;
					if (buffer.getByte(index++) != expected) {
						return "chunk not ended by CRLF";
					}
					this.state = (this.state == State.CHUNK_CR) ? State.CHUNK_LF : State.CHUNK_SIZE;
				}
				default -> {
					if (this.state == State.HEADER_NAME && this.position > 0 && !this.mayBeContentLength
							&& !this.mayBeTransferEncoding && !this.afterCr) {
						// Not a name framing reads, so only a token: on to its end, the
						// colon if all is well.
						int stop = buffer.forEachByte(index, end - index, TOKEN);
						int run = ((stop < 0) ? end : stop) - index;
						if (run > 0) {
							this.position += run;
							index += run;
							continue;
						}
					}
					if (this.state == State.HEADER_VALUE && this.field == Field.OTHER && !this.afterCr) {
						// A value framing ignores only has to be free of controls: on to
						// the first, the CR that ends the line if all is well.
						int stop = buffer.forEachByte(index, end - index, NOT_CONTROL);
						if (stop < 0) {
							return null;
						}
						index = stop;
					}
					byte b = buffer.getByte(index++);
					String refusal = this.afterCr ? lineFeed(b) : lineByte(b);
					if (refusal != null) {
						return refusal;
					}
				}
			}
		}
		return null;
	}

	private @Nullable String lineFeed(byte b) {
		this.afterCr = false;
		if (b != LF) {
			return "CR not followed by LF";
		}
		String refusal = switch (this.state) {
			case STATUS_LINE -> statusLineEnded();
			case HEADER_NAME -> (this.trailers) ? trailersEnded() : headEnded();
			case HEADER_VALUE -> valueEnded();
			default -> chunkSizeEnded();
		};
		this.position = 0;
		return refusal;
	}

	private @Nullable String lineByte(byte b) {
		if (b == LF) {
			return "line ended by LF without CR";
		}
		return switch (this.state) {
			case STATUS_LINE -> statusByte(b);
			case HEADER_NAME -> nameByte(b);
			case HEADER_VALUE -> valueByte(b);
			case CHUNK_SIZE -> chunkSizeByte(b);
			default -> extensionByte(b);
		};
	}

	/** {@code HTTP/1.x SP 3DIGIT SP reason}, the space and reason optional together. */
	private @Nullable String statusByte(byte b) {
		int at = this.position++;
		if (b == CR) {
			if (at < 12) {
				return "malformed status line";
			}
			this.afterCr = true;
			return null;
		}
		boolean fits;
		if (at < HTTP_1.length) {
			fits = b == HTTP_1[at];
		}
		else if (at == 7) {
			fits = b >= '0' && b <= '9';
		}
		else if (at == 8 || at == 12) {
			fits = b == ' ';
		}
		else if (at < 12) {
			fits = b >= ((at == 9) ? '1' : '0') && b <= '9';
			this.status = this.status * 10 + (b - '0');
		}
		else {
			fits = !HttpChars.isControl(b);
		}
		return fits ? null : "malformed status line";
	}

	private @Nullable String statusLineEnded() {
		this.state = State.HEADER_NAME;
		this.contentLength = -1;
		this.chunked = false;
		this.trailers = false;
		return null;
	}

	private @Nullable String nameByte(byte b) {
		if (this.position == 0) {
			if (b == CR) {
				this.afterCr = true;
				return null;
			}
			if (b == ' ' || b == '\t') {
				return "folded header line";
			}
			this.mayBeContentLength = !this.trailers;
			this.mayBeTransferEncoding = !this.trailers;
		}
		if (b == ':') {
			return nameEnded();
		}
		if (!HttpChars.isToken(b)) {
			return (b == CR) ? "header line without a colon" : "header name is not a token";
		}
		int lower = HttpChars.lowerCase(b);
		int at = this.position++;
		this.mayBeContentLength &= at < CONTENT_LENGTH.length && CONTENT_LENGTH[at] == lower;
		this.mayBeTransferEncoding &= at < TRANSFER_ENCODING.length && TRANSFER_ENCODING[at] == lower;
		return null;
	}

	private @Nullable String nameEnded() {
		if (this.position == 0) {
			return "empty header name";
		}
		this.field = Field.OTHER;
		if (this.mayBeContentLength && this.position == CONTENT_LENGTH.length) {
			if (this.contentLength >= 0) {
				return "Content-Length given twice";
			}
			this.field = Field.CONTENT_LENGTH;
		}
		else if (this.mayBeTransferEncoding && this.position == TRANSFER_ENCODING.length) {
			if (this.chunked) {
				return "Transfer-Encoding given twice";
			}
			this.field = Field.TRANSFER_ENCODING;
		}
		this.state = State.HEADER_VALUE;
		this.valuePart = 0;
		this.valueLength = 0;
		this.number = 0;
		return null;
	}

	private @Nullable String valueByte(byte b) {
		if (b == CR) {
			this.afterCr = true;
			return null;
		}
		if (HttpChars.isControl(b)) {
			return "control character in a header value";
		}
		if (this.field == Field.OTHER) {
			return null;
		}
		if (b == ' ' || b == '\t') {
			if (this.valuePart == 1) {
				this.valuePart = 2;
			}
			return null;
		}
		if (this.valuePart == 2) {
			return (this.field == Field.CONTENT_LENGTH) ? "Content-Length is not a number"
					: "Transfer-Encoding other than chunked";
		}
		this.valuePart = 1;
		int at = this.valueLength++;
		if (this.field == Field.CONTENT_LENGTH) {
			if (b < '0' || b > '9' || at >= MAX_LENGTH_DIGITS) {
				return "Content-Length is not a number";
			}
			this.number = this.number * 10 + (b - '0');
			return null;
		}
		return (at < CHUNKED.length && HttpChars.lowerCase(b) == CHUNKED[at]) ? null
				: "Transfer-Encoding other than chunked";
	}

	private @Nullable String valueEnded() {
		this.state = State.HEADER_NAME;
		if (this.field == Field.CONTENT_LENGTH) {
			if (this.valueLength == 0) {
				return "Content-Length is not a number";
			}
			this.contentLength = this.number;
		}
		else if (this.field == Field.TRANSFER_ENCODING) {
			if (this.valueLength != CHUNKED.length) {
				return "Transfer-Encoding other than chunked";
			}
			this.chunked = true;
		}
		return null;
	}

	private @Nullable String headEnded() {
		if (this.chunked && this.contentLength >= 0) {
			return "both Content-Length and Transfer-Encoding";
		}
		int status = this.status;
		this.status = 0;
		if (status < 200 && status != 101) {
			// Interim: the final response to the same request follows.
			this.state = State.STATUS_LINE;
			return null;
		}
		HttpMethod method = this.methods.poll();
		if (status == 101 || (method == HttpMethod.CONNECT && status < 300)) {
			// The connection speaks another protocol from here on.
			this.state = State.PASS;
		}
		else if (method == HttpMethod.HEAD || status == 204 || status == 304) {
			this.state = State.STATUS_LINE;
		}
		else if (this.chunked) {
			this.state = State.CHUNK_SIZE;
		}
		else if (this.contentLength > 0) {
			this.remaining = this.contentLength;
			this.state = State.BODY;
		}
		else {
			this.state = (this.contentLength == 0) ? State.STATUS_LINE : State.UNTIL_CLOSE;
		}
		return null;
	}

	private @Nullable String trailersEnded() {
		this.trailers = false;
		this.state = State.STATUS_LINE;
		return null;
	}

	private @Nullable String chunkSizeByte(byte b) {
		if (this.position == 0) {
			this.number = 0;
		}
		int digit = Character.digit(b, 16);
		if (digit >= 0) {
			if (++this.position > MAX_CHUNK_SIZE_DIGITS) {
				return "bad chunk size";
			}
			this.number = (this.number << 4) | digit;
			return null;
		}
		if (this.position > 0 && b == CR) {
			this.afterCr = true;
			return null;
		}
		if (this.position > 0 && b == ';') {
			this.state = State.CHUNK_EXTENSION;
			return null;
		}
		return "bad chunk size";
	}

	private @Nullable String extensionByte(byte b) {
		if (b == CR) {
			this.afterCr = true;
			return null;
		}
		return HttpChars.isControl(b) ? "bad chunk size" : null;
	}

	private @Nullable String chunkSizeEnded() {
		if (this.number < 0) {
			// Sixteen digits may pass what a long holds.
			return "bad chunk size";
		}
		if (this.number == 0) {
			this.trailers = true;
			this.state = State.HEADER_NAME;
		}
		else {
			this.remaining = this.number;
			this.state = State.CHUNK_DATA;
		}
		return null;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Notes the method of each request written, where requests are still objects: after
	 * the codec.
	 */
	private final class Requests extends ChannelOutboundHandlerAdapter {

		@Override
		public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
			if (message instanceof HttpRequest request) {
				StrictResponseFraming.this.methods.add(request.method());
			}
			context.write(message, promise);
		}

	}

}

package io.junction.framing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.junction.observability.RefusedRequests;
import io.junction.proxy.ClientAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Reads every HTTP/1.x request of a connection once, strictly, before Netty's decoder
 * does: the bytes pass on unchanged, but a request whose framing could be read two ways
 * (RFC 9112's request smuggling) or that breaks a limit is answered here, and the
 * connection closed, before the byte that completes its head reaches the decoder; so no
 * part of it reaches routing or a server.
 *
 * <p>
 * Refused with 400: lines not ended by CRLF (a bare LF or CR), a request line that is not
 * {@code method SP target SP HTTP/1.x}, header names that are not tokens (a space or tab
 * before the colon, a control character), values with control characters, folded lines,
 * Content-Length that is not one run of digits or comes twice, Transfer-Encoding other
 * than one {@code chunked}, or with Content-Length, or in HTTP/1.0, none or several Host
 * headers in HTTP/1.1, and chunk sizes that are not 1 to 16 hex digits or chunks not
 * ended by CRLF. 414 for a request line over the limit, 431 for header lines over the
 * limit in bytes or count, 408 for a head not all received within the head timeout
 * (slowloris).
 *
 * <p>
 * The head checked, the body is followed to find the next request: as many bytes as
 * Content-Length says, or chunk by chunk. A connection that asks to switch protocols
 * (Upgrade, or HTTP/2's preface) is no longer HTTP/1.x to read once its request passed.
 */
final class StrictFraming extends ChannelInboundHandlerAdapter {

	private static final byte CR = '\r';

	private static final byte LF = '\n';

	// Longest chunk-size line, extensions included: nobody needs more.
	private static final int MAX_CHUNK_LINE = 1024;

	// RFC 9112 2.2 asks servers to ignore at least one empty line before a request; a
	// stream of them is a way to hold a connection without ever sending a head.
	private static final int MAX_EMPTY_LINES = 4;

	private static final String RESPONSE_ENDS = "junction.responseEnds";

	private static final byte[] PREFACE = ascii("PRI * HTTP/2.0");

	private static final byte[] HTTP_SLASH = ascii("HTTP/");

	private static final byte[] CONTENT_LENGTH = ascii("content-length");

	private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");

	private static final byte[] HOST = ascii("host");

	private static final byte[] UPGRADE = ascii("upgrade");

	private static final byte[] CHUNKED = ascii("chunked");

	private enum State {

		REQUEST_LINE, HEADER_LINE, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_CR, CHUNK_LF, TRAILER_LINE, PASS, REFUSED

	}

	private final int maxRequestLine;

	private final int maxHeaderSize;

	private final int maxHeaderCount;

	private final long headTimeoutMillis;

	private final RefusedRequests refusals;

	private State state = State.REQUEST_LINE;

	private byte[] line = new byte[256];

	private int lineLength;

	private boolean afterCr;

	// Of the request whose head is being read.
	private int headerBytes;

	private int headerCount;

	private long contentLength;

	private boolean chunked;

	private boolean http10;

	private int hosts;

	private boolean upgrade;

	private boolean firstLine = true;

	private int emptyLines;

	// Set when a head ends, so that the head timer is per request, not per read.
	private boolean headCompleted;

	private @Nullable ScheduledFuture<?> headTimer;

	// Bytes of body, or of chunk data, still to come.
	private long remaining;

	// Where in the buffer being scanned the latest request began.
	private int requestStart;

	// Heads passed on to the decoder, and responses written: the requests not yet
	// answered are the difference.
	private int requestsPassed;

	private int responsesEnded;

	private @Nullable ResponseEnds responseEnds;

	// A refusal waiting for the answers to the requests before it.
	private @Nullable Refusal pendingRefusal;

	private int refusalAfter;

	StrictFraming(int maxRequestLine, int maxHeaderSize, int maxHeaderCount, long headTimeoutMillis,
			RefusedRequests refusals) {
		this.refusals = refusals;
		this.maxRequestLine = maxRequestLine;
		this.maxHeaderSize = maxHeaderSize;
		this.maxHeaderCount = maxHeaderCount;
		this.headTimeoutMillis = headTimeoutMillis;
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
		watchResponses(context);
		@Nullable Refusal refusal = scan(buffer);
		if (refusal != null) {
			// The requests before the refused one are served, and answered first; the
			// refused one itself is in flight when its body is what is wrong.
			boolean inBody = this.state != State.REQUEST_LINE && this.state != State.HEADER_LINE;
			if (!inBody && this.requestStart > buffer.readerIndex()) {
				context.fireChannelRead(
						buffer.retainedSlice(buffer.readerIndex(), this.requestStart - buffer.readerIndex()));
			}
			buffer.release();
			refuseAfter(context, refusal, inBody ? this.requestsPassed - 1 : this.requestsPassed);
			return;
		}
		timeHead(context);
		context.fireChannelRead(buffer);
		if (this.state == State.PASS) {
			context.pipeline().remove(this);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		cancelHeadTimer();
		context.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext context) {
		cancelHeadTimer();
		if (this.responseEnds != null && context.pipeline().context(this.responseEnds) != null) {
			context.pipeline().remove(this.responseEnds);
		}
	}

	/**
	 * Counts the responses written, once HTTP/1.1's codec is in the pipeline (for TLS,
	 * once ALPN chose it), so that a refusal can wait for the answers to the requests
	 * before it: pipelined answers go out in order.
	 */
	private void watchResponses(ChannelHandlerContext context) {
		if (this.responseEnds == null && context.pipeline().get(NettyPipeline.HttpCodec) != null) {
			this.responseEnds = new ResponseEnds(context);
			context.pipeline().addAfter(NettyPipeline.HttpCodec, RESPONSE_ENDS, this.responseEnds);
		}
	}

	/** Answers {@code refusal} once {@code answered} responses have been written. */
	private void refuseAfter(ChannelHandlerContext context, Refusal refusal, int answered) {
		this.state = State.REFUSED;
		cancelHeadTimer();
		if (this.responseEnds == null || this.responsesEnded >= answered) {
			refuse(context, refusal);
			return;
		}
		this.pendingRefusal = refusal;
		this.refusalAfter = answered;
		// Whatever else the client sends is dropped: stop reading it.
		context.channel().config().setAutoRead(false);
	}

	/**
	 * Starts the head timer when a read ends inside a request's head, and stops it once
	 * that head has ended: a client has the head timeout to send a whole head, however
	 * slowly its bytes come.
	 */
	private void timeHead(ChannelHandlerContext context) {
		if (this.headCompleted) {
			this.headCompleted = false;
			cancelHeadTimer();
		}
		if (this.headTimer == null && inHead()) {
			this.headTimer = context.executor().schedule(() -> {
				this.headTimer = null;
				if (this.state != State.REFUSED && context.channel().isActive()) {
					refuseAfter(context,
							new Refusal(408, "Request Timeout",
									"request head not received within " + this.headTimeoutMillis + " ms"),
							this.requestsPassed);
				}
			}, this.headTimeoutMillis, TimeUnit.MILLISECONDS);
		}
	}

	private boolean inHead() {
		return this.state == State.HEADER_LINE
				|| (this.state == State.REQUEST_LINE && (this.lineLength > 0 || this.afterCr || this.emptyLines > 0));
	}

	private void cancelHeadTimer() {
		if (this.headTimer != null) {
			this.headTimer.cancel(false);
			this.headTimer = null;
		}
	}

	/** Reads {@code buffer} without consuming it; the refusal of a request, or null. */
	private @Nullable Refusal scan(ByteBuf buffer) {
		int index = buffer.readerIndex();
		this.requestStart = index;
		int end = buffer.writerIndex();
		while (index < end) {
			switch (this.state) {
				case PASS -> {
					return null;
				}
				case BODY, CHUNK_DATA -> {
					int skipped = (int) Math.min(this.remaining, end - index);
					index += skipped;
					this.remaining -= skipped;
					if (this.remaining == 0) {
						this.state = (this.state == State.BODY) ? State.REQUEST_LINE : State.CHUNK_CR;
					}
				}
				case CHUNK_CR, CHUNK_LF -> {
					byte expected = (this.state == State.CHUNK_CR) ? CR : LF;
					if (buffer.getByte(index++) != expected) {
						return Refusal.badRequest("chunk not ended by CRLF");
					}
					this.state = (this.state == State.CHUNK_CR) ? State.CHUNK_LF : State.CHUNK_SIZE;
				}
				default -> {
					if (this.state == State.REQUEST_LINE && this.lineLength == 0 && !this.afterCr) {
						this.requestStart = index;
					}
					if (!this.afterCr) {
						// The bytes up to the next CR or LF are the line's: copied at
						// once.
						int lineEnd = buffer.forEachByte(index, end - index, ByteProcessor.FIND_CRLF);
						int run = ((lineEnd < 0) ? end : lineEnd) - index;
						if (run > 0) {
							@Nullable Refusal refusal = append(buffer, index, run);
							if (refusal != null) {
								return refusal;
							}
							index += run;
							continue;
						}
					}
					byte b = buffer.getByte(index++);
					@Nullable Refusal refusal = lineByte(b);
					if (refusal != null) {
						return refusal;
					}
				}
			}
		}
		return null;
	}

	/** A CR or LF, or the byte after a CR. */
	private @Nullable Refusal lineByte(byte b) {
		if (this.afterCr) {
			this.afterCr = false;
			if (b != LF) {
				return Refusal.badRequest("CR not followed by LF");
			}
			@Nullable Refusal refusal = lineEnded();
			this.lineLength = 0;
			return refusal;
		}
		if (b == CR) {
			this.afterCr = true;
			return null;
		}
		// Only a CR or LF comes here: scan appends the other bytes in runs.
		return Refusal.badRequest("line ended by LF without CR");
	}

	/**
	 * Adds {@code length} bytes, none of them CR or LF, to the line; refused if any of
	 * them would be past the line's limit.
	 */
	private @Nullable Refusal append(ByteBuf buffer, int index, int length) {
		if (length > room()) {
			return limitRefusal();
		}
		int needed = this.lineLength + length;
		if (needed > this.line.length) {
			this.line = java.util.Arrays.copyOf(this.line, Math.max(needed, this.line.length * 2));
		}
		buffer.getBytes(index, this.line, this.lineLength, length);
		this.lineLength = needed;
		return null;
	}

	/** How many more bytes the line may have. */
	private int room() {
		return switch (this.state) {
			case REQUEST_LINE -> this.maxRequestLine - this.lineLength;
			case HEADER_LINE, TRAILER_LINE -> this.maxHeaderSize - this.headerBytes - this.lineLength;
			default -> MAX_CHUNK_LINE - this.lineLength;
		};
	}

	private Refusal limitRefusal() {
		return switch (this.state) {
			case REQUEST_LINE ->
				new Refusal(414, "URI Too Long", "request line longer than " + this.maxRequestLine + " bytes");
			case HEADER_LINE, TRAILER_LINE -> new Refusal(431, "Request Header Fields Too Large",
					"header lines longer than " + this.maxHeaderSize + " bytes");
			default -> Refusal.badRequest("chunk size line too long");
		};
	}

	private @Nullable Refusal lineEnded() {
		return switch (this.state) {
			case REQUEST_LINE -> requestLine();
			case HEADER_LINE -> headerLine();
			case CHUNK_SIZE -> chunkSize();
			default -> trailerLine();
		};
	}

	private @Nullable Refusal requestLine() {
		if (this.lineLength == 0) {
			// RFC 9112 2.2: empty lines before a request are ignored, a few of them.
			return (++this.emptyLines > MAX_EMPTY_LINES) ? Refusal.badRequest("empty lines before a request") : null;
		}
		this.emptyLines = 0;
		if (this.firstLine && this.lineLength == PREFACE.length && matches(0, PREFACE)) {
			// HTTP/2 with prior knowledge: Netty's h2c handling reads the rest.
			this.state = State.PASS;
			return null;
		}
		this.firstLine = false;
		int methodEnd = 0;
		while (methodEnd < this.lineLength && HttpChars.isToken(this.line[methodEnd])) {
			methodEnd++;
		}
		if (methodEnd == 0 || methodEnd == this.lineLength || this.line[methodEnd] != ' ') {
			return Refusal.badRequest("malformed request line");
		}
		int targetEnd = methodEnd + 1;
		while (targetEnd < this.lineLength && this.line[targetEnd] > ' ' && this.line[targetEnd] < 0x7F) {
			// Neither is allowed in a URI (RFC 3986), and servers differ on what they
			// mean;
			// the rest of the path policy is routing.SafePaths'.
			if (this.line[targetEnd] == '\\') {
				return Refusal.badRequest("a backslash in the request target");
			}
			if (this.line[targetEnd] == '%' && !(isHex(targetEnd + 1) && isHex(targetEnd + 2))) {
				return Refusal.badRequest("a malformed percent-encoding in the request target");
			}
			targetEnd++;
		}
		if (targetEnd == methodEnd + 1 || targetEnd == this.lineLength || this.line[targetEnd] != ' ') {
			return Refusal.badRequest("malformed request target");
		}
		int version = targetEnd + 1;
		if (this.lineLength - version != 8 || !matches(version, HTTP_SLASH) || !isDigit(version + 5)
				|| this.line[version + 6] != '.' || !isDigit(version + 7)) {
			return Refusal.badRequest("malformed HTTP version");
		}
		if (this.line[version + 5] != '1' || this.line[version + 7] > '1') {
			return new Refusal(505, "HTTP Version Not Supported", "HTTP version not supported");
		}
		this.http10 = this.line[version + 7] == '0';
		this.state = State.HEADER_LINE;
		this.headerBytes = 0;
		this.headerCount = 0;
		this.contentLength = -1;
		this.chunked = false;
		this.hosts = 0;
		this.upgrade = false;
		return null;
	}

	private @Nullable Refusal headerLine() {
		if (this.lineLength == 0) {
			return headEnded();
		}
		this.headerBytes += this.lineLength + 2;
		if (++this.headerCount > this.maxHeaderCount) {
			return new Refusal(431, "Request Header Fields Too Large", "more than " + this.maxHeaderCount + " headers");
		}
		int colon = nameEnd();
		if (colon < 0) {
			return Refusal.badRequest("malformed header line");
		}
		int valueStart = valueStart(colon + 1);
		if (valueStart < 0) {
			return Refusal.badRequest("control character in a header value");
		}
		if (nameIs(colon, CONTENT_LENGTH)) {
			if (this.contentLength >= 0) {
				return Refusal.badRequest("Content-Length given twice");
			}
			int end = valueEnd(valueStart);
			if (end == valueStart || end - valueStart > 18) {
				return Refusal.badRequest("Content-Length is not a number");
			}
			long length = 0;
			for (int i = valueStart; i < end; i++) {
				if (!isDigit(i)) {
					return Refusal.badRequest("Content-Length is not a number");
				}
				length = length * 10 + (this.line[i] - '0');
			}
			this.contentLength = length;
		}
		else if (nameIs(colon, TRANSFER_ENCODING)) {
			if (this.chunked) {
				return Refusal.badRequest("Transfer-Encoding given twice");
			}
			int end = valueEnd(valueStart);
			if (end - valueStart != CHUNKED.length || !matchesIgnoringCase(valueStart, CHUNKED)) {
				return Refusal.badRequest("Transfer-Encoding other than chunked");
			}
			this.chunked = true;
		}
		else if (nameIs(colon, HOST)) {
			this.hosts++;
		}
		else if (nameIs(colon, UPGRADE)) {
			this.upgrade = true;
		}
		return null;
	}

	private @Nullable Refusal headEnded() {
		this.headCompleted = true;
		if (this.chunked && this.contentLength >= 0) {
			return Refusal.badRequest("both Content-Length and Transfer-Encoding");
		}
		if (this.chunked && this.http10) {
			return Refusal.badRequest("Transfer-Encoding in an HTTP/1.0 request");
		}
		if (!this.http10 && this.hosts != 1) {
			return Refusal.badRequest((this.hosts == 0) ? "no Host header" : "Host given more than once");
		}
		this.requestsPassed++;
		if (this.upgrade) {
			// Past a 101 the connection speaks another protocol; refused, it stays
			// HTTP/1.x under Netty's own strict decoder.
			this.state = State.PASS;
		}
		else if (this.chunked) {
			this.state = State.CHUNK_SIZE;
		}
		else if (this.contentLength > 0) {
			this.remaining = this.contentLength;
			this.state = State.BODY;
		}
		else {
			this.state = State.REQUEST_LINE;
		}
		return null;
	}

	private @Nullable Refusal chunkSize() {
		int digits = 0;
		long size = 0;
		while (digits < this.lineLength && Character.digit(this.line[digits], 16) >= 0) {
			size = (size << 4) | Character.digit(this.line[digits], 16);
			digits++;
		}
		if (digits == 0 || digits > 16 || size < 0) {
			return Refusal.badRequest("bad chunk size");
		}
		if (digits < this.lineLength && (this.line[digits] != ';' || valueStart(digits + 1) < 0)) {
			return Refusal.badRequest("bad chunk size");
		}
		if (size == 0) {
			this.headerBytes = 0;
			this.state = State.TRAILER_LINE;
		}
		else {
			this.remaining = size;
			this.state = State.CHUNK_DATA;
		}
		return null;
	}

	private @Nullable Refusal trailerLine() {
		if (this.lineLength == 0) {
			this.state = State.REQUEST_LINE;
			return null;
		}
		this.headerBytes += this.lineLength + 2;
		int colon = nameEnd();
		if (colon < 0 || valueStart(colon + 1) < 0) {
			return Refusal.badRequest("malformed trailer line");
		}
		return null;
	}

	/** Where a header name, all token characters, ends in its colon; or -1. */
	private int nameEnd() {
		int index = 0;
		while (index < this.lineLength && HttpChars.isToken(this.line[index])) {
			index++;
		}
		return (index > 0 && index < this.lineLength && this.line[index] == ':') ? index : -1;
	}

	/**
	 * Where the field value from {@code start} begins, past spaces and tabs; -1 if it
	 * holds a control character other than a tab.
	 */
	private int valueStart(int start) {
		for (int i = start; i < this.lineLength; i++) {
			int c = this.line[i] & 0xFF;
			if ((c < ' ' && c != '\t') || c == 0x7F) {
				return -1;
			}
		}
		int from = start;
		while (from < this.lineLength && (this.line[from] == ' ' || this.line[from] == '\t')) {
			from++;
		}
		return from;
	}

	/** Where the field value ends, before trailing spaces and tabs. */
	private int valueEnd(int start) {
		int to = this.lineLength;
		while (to > start && (this.line[to - 1] == ' ' || this.line[to - 1] == '\t')) {
			to--;
		}
		return to;
	}

	private boolean nameIs(int length, byte[] lowerCaseName) {
		return length == lowerCaseName.length && matchesIgnoringCase(0, lowerCaseName);
	}

	private boolean matchesIgnoringCase(int start, byte[] lowerCase) {
		for (int i = 0; i < lowerCase.length; i++) {
			int c = this.line[start + i];
			if (c >= 'A' && c <= 'Z') {
				c += 32;
			}
			if (c != lowerCase[i]) {
				return false;
			}
		}
		return true;
	}

	private boolean matches(int start, byte[] bytes) {
		for (int i = 0; i < bytes.length; i++) {
			if (this.line[start + i] != bytes[i]) {
				return false;
			}
		}
		return true;
	}

	private boolean isDigit(int index) {
		return this.line[index] >= '0' && this.line[index] <= '9';
	}

	private boolean isHex(int index) {
		return index < this.lineLength && Character.digit(this.line[index], 16) >= 0;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private void refuse(ChannelHandlerContext context, Refusal refusal) {
		this.state = State.REFUSED;
		this.pendingRefusal = null;
		cancelHeadTimer();
		this.refusals.refused(refusal.status(), refusal.reason(), ClientAddress.of(context.channel()));
		String body = refusal.reason() + "\n";
		String response = "HTTP/1.1 " + refusal.status() + " " + refusal.phrase() + "\r\n"
				+ "Content-Type: text/plain;charset=UTF-8\r\n" + "Content-Length: " + body.length() + "\r\n"
				+ "Connection: close\r\n\r\n" + body;
		context.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.ISO_8859_1))
			.addListener(ChannelFutureListener.CLOSE);
	}

	/**
	 * Sees each response leave HTTP/1.1's encoder: the end of each, but for interim (1xx)
	 * ones, is counted, and a refusal waiting for it written after it.
	 */
	private final class ResponseEnds extends ChannelOutboundHandlerAdapter {

		private final ChannelHandlerContext framing;

		ResponseEnds(ChannelHandlerContext framing) {
			this.framing = framing;
		}

		@Override
		public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
			boolean ends = message instanceof LastHttpContent && !(message instanceof HttpResponse response
					&& response.status().codeClass() == HttpStatusClass.INFORMATIONAL);
			context.write(message, promise);
			if (ends) {
				StrictFraming.this.responsesEnded++;
				@Nullable Refusal pending = StrictFraming.this.pendingRefusal;
				if (pending != null && StrictFraming.this.responsesEnded >= StrictFraming.this.refusalAfter) {
					refuse(this.framing, pending);
				}
			}
		}

	}

	/** Why a request is answered here: its status and a reason for the client. */
	record Refusal(int status, String phrase, String reason) {

		static Refusal badRequest(String reason) {
			return new Refusal(400, "Bad Request", reason);
		}

	}

}

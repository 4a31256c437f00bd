package io.junction.edge;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.junction.RunningJunction;
import io.junction.Startup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * gRPC through Junction: a real grpc-java server behind an h2c pool, a real grpc-java
 * client talking h2c to the traffic port. A unary call ends with the status the server's
 * trailers carry, a bidirectional stream exchanges messages both ways before its trailers
 * end it, and gRPC over HTTP/1.1 is refused.
 */
class GrpcPassThroughTests {

	private static final Metadata.Key<String> DETAIL = Metadata.Key.of("x-detail", Metadata.ASCII_STRING_MARSHALLER);

	private static final MethodDescriptor<byte[], byte[]> ECHO = method("Echo", MethodDescriptor.MethodType.UNARY);

	private static final MethodDescriptor<byte[], byte[]> REFUSE = method("Refuse", MethodDescriptor.MethodType.UNARY);

	private static final MethodDescriptor<byte[], byte[]> CHAT = method("Chat",
			MethodDescriptor.MethodType.BIDI_STREAMING);

	private Server server;

	private ManagedChannel channel;

	@BeforeEach
	void startGrpcServer() throws IOException {
		ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
			.addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
				response.onNext(upper(request));
				response.onCompleted();
			}))
			.addMethod(REFUSE, ServerCalls.asyncUnaryCall((request, response) -> {
				Metadata trailers = new Metadata();
				trailers.put(DETAIL, "refused on purpose");
				response.onError(Status.FAILED_PRECONDITION.withDescription("not today").asRuntimeException(trailers));
			}))
			.addMethod(CHAT, ServerCalls.asyncBidiStreamingCall((response) -> new StreamObserver<byte[]>() {

				@Override
				public void onNext(byte[] message) {
					response.onNext(upper(message));
				}

				@Override
				public void onError(Throwable error) {
				}

				@Override
				public void onCompleted() {
					// Ends after messages went out, so the status can only be in
					// trailers.
					Metadata trailers = new Metadata();
					trailers.put(DETAIL, "chat over");
					response.onError(Status.ABORTED.withDescription("bye").asRuntimeException(trailers));
				}

			}))
			.build();
		this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(service)
			.build()
			.start();
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.channel != null) {
			this.channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
		}
		this.server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
	}

	@Test
	void unaryCallPassesThroughWithItsStatus() {
		try (RunningJunction junction = Startup.junction(Map.of(), grpcPool())) {
			byte[] answer = ClientCalls.blockingUnaryCall(channelTo(junction), ECHO, callOptions(), bytes("hello"));
			assertThat(text(answer)).isEqualTo("HELLO");
		}
	}

	@Test
	void errorStatusAndCustomTrailersReachTheClient() {
		try (RunningJunction junction = Startup.junction(Map.of(), grpcPool())) {
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(
					() -> ClientCalls.blockingUnaryCall(channelTo(junction), REFUSE, callOptions(), bytes("please")))
				.satisfies((refused) -> {
					assertThat(refused.getStatus().getCode()).as(refused.getStatus().toString())
						.isEqualTo(Status.Code.FAILED_PRECONDITION);
					assertThat(refused.getStatus().getDescription()).isEqualTo("not today");
					assertThat(refused.getTrailers().get(DETAIL)).isEqualTo("refused on purpose");
				});
		}
	}

	@Test
	void bidirectionalStreamExchangesMessagesBothWaysAndEndsWithTheServersTrailers() throws Exception {
		try (RunningJunction junction = Startup.junction(Map.of(), grpcPool())) {
			List<String> received = new CopyOnWriteArrayList<>();
			CompletableFuture<Throwable> ended = new CompletableFuture<>();
			CompletableFuture<Void> firstAnswer = new CompletableFuture<>();
			StreamObserver<byte[]> requests = ClientCalls
				.asyncBidiStreamingCall(channelTo(junction).newCall(CHAT, callOptions()), new StreamObserver<byte[]>() {

					@Override
					public void onNext(byte[] message) {
						received.add(text(message));
						firstAnswer.complete(null);
					}

					@Override
					public void onError(Throwable error) {
						ended.complete(error);
					}

					@Override
					public void onCompleted() {
						ended.complete(null);
					}

				});
			requests.onNext(bytes("one"));
			// The answer to the first message arrives while the request is still open:
			// nothing waits for either side to finish.
			firstAnswer.get(10, TimeUnit.SECONDS);
			requests.onNext(bytes("two"));
			requests.onNext(bytes("three"));
			requests.onCompleted();
			Throwable end = ended.get(10, TimeUnit.SECONDS);
			assertThat(received).containsExactly("ONE", "TWO", "THREE");
			assertThat(end).isInstanceOf(StatusRuntimeException.class);
			StatusRuntimeException status = (StatusRuntimeException) end;
			assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
			assertThat(status.getStatus().getDescription()).isEqualTo("bye");
			assertThat(status.getTrailers().get(DETAIL)).isEqualTo("chat over");
		}
	}

	@Test
	void grpcOverHttp11IsRefusedWithUpgradeRequired() throws IOException {
		try (RunningJunction junction = Startup.junction(Map.of(), grpcPool());
				Socket socket = new Socket("127.0.0.1", junction.port())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /test.Echo/Echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/grpc\r\n"
					+ "TE: trailers\r\nContent-Length: 5\r\nConnection: close\r\n\r\n\0\0\0\0\0")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(answer).startsWith("HTTP/1.1 426 Upgrade Required\r\n")
				.containsIgnoringCase("upgrade: h2c\r\n")
				.contains("gRPC needs HTTP/2 (h2 over TLS, or h2c); this request came over HTTP/1.1");
		}
	}

	private ManagedChannel channelTo(RunningJunction junction) {
		this.channel = Grpc
			.newChannelBuilderForAddress("127.0.0.1", junction.port(), InsecureChannelCredentials.create())
			.build();
		return this.channel;
	}

	private String[] grpcPool() {
		List<String> properties = new ArrayList<>(Startup.routeEverythingTo("grpc"));
		properties.add("server.http2.enabled=true");
		properties.add("junction.backends.grpc.protocol=h2c");
		properties.add("junction.backends.grpc.servers[0].name=grpc01");
		properties.add("junction.backends.grpc.servers[0].url=http://127.0.0.1:" + this.server.getPort());
		properties.add("junction.backends.grpc.health-check.enabled=false");
		return properties.toArray(String[]::new);
	}

	private static CallOptions callOptions() {
		return CallOptions.DEFAULT.withDeadlineAfter(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
	}

	private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
		return MethodDescriptor.<byte[], byte[]>newBuilder()
			.setType(type)
			.setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
			.setRequestMarshaller(RawBytes.INSTANCE)
			.setResponseMarshaller(RawBytes.INSTANCE)
			.build();
	}

	private static byte[] upper(byte[] message) {
		return text(message).toUpperCase().getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	/** Messages as the bytes they are: no protobuf, no generated code. */
	private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {

		INSTANCE;

		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			try {
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}

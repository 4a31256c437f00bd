package io.junction.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcTests {

	@Test
	void grpcContentTypesAreGrpcWhateverTheirCodecOrParameters() {
		assertThat(Grpc.isGrpc("application/grpc")).isTrue();
		assertThat(Grpc.isGrpc("application/grpc+proto")).isTrue();
		assertThat(Grpc.isGrpc("Application/GRPC+json")).isTrue();
		assertThat(Grpc.isGrpc("application/grpc; charset=utf-8")).isTrue();
	}

	@Test
	void grpcWebAndOtherTypesAreNotGrpc() {
		// gRPC-Web is made for HTTP/1.1: it must not be refused there.
		assertThat(Grpc.isGrpc("application/grpc-web")).isFalse();
		assertThat(Grpc.isGrpc("application/grpc-web-text+proto")).isFalse();
		assertThat(Grpc.isGrpc("application/grpcx")).isFalse();
		assertThat(Grpc.isGrpc("application/json")).isFalse();
		assertThat(Grpc.isGrpc(null)).isFalse();
	}

}

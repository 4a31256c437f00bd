package io.junction.proxy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import io.junction.framing.BadResponseFramingException;
import io.junction.pools.RetryPolicy.RetryOn;
import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.PrematureCloseException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each upstream failure mapped once: to its retry-on keyword, whether the request may
 * have been sent, the client's status and text, the access log's termination and the
 * passive checks' reason.
 */
class UpstreamFailureTests {

	@Test
	void refusedConnectionIsAConnFailureAnsweredWith503() {
		UpstreamFailure failure = UpstreamFailure.of(new ConnectException("Connection refused"));
		assertThat(failure).isEqualTo(UpstreamFailure.CONNECTION_REFUSED);
		assertThat(failure.retryOn()).isEqualTo(RetryOn.CONN_FAILURE);
		assertThat(failure.mayHaveBeenSent()).isFalse();
		assertThat(failure.status().value()).isEqualTo(503);
		assertThat(failure.termination().label()).isEqualTo("connect-failed");
		assertThat(failure.reason()).isEqualTo("connection refused");
		assertThat(failure.clientText("app")).isEqualTo("no server of pool 'app' is available");
	}

	@Test
	void otherConnectFailuresAreConnFailuresWithTheirOwnReasons() {
		assertThat(UpstreamFailure.of(new ConnectTimeoutException("timed out")))
			.isEqualTo(UpstreamFailure.CONNECT_TIMEOUT);
		assertThat(UpstreamFailure.of(new NoRouteToHostException())).isEqualTo(UpstreamFailure.NO_ROUTE_TO_HOST);
		assertThat(UpstreamFailure.of(new UnknownHostException("app01"))).isEqualTo(UpstreamFailure.UNKNOWN_HOST);
		for (UpstreamFailure failure : new UpstreamFailure[] { UpstreamFailure.CONNECT_TIMEOUT,
				UpstreamFailure.NO_ROUTE_TO_HOST, UpstreamFailure.UNKNOWN_HOST }) {
			assertThat(failure.isConnectFailure()).isTrue();
			assertThat(failure.termination()).isEqualTo(Termination.CONNECT_FAILED);
		}
		assertThat(UpstreamFailure.CONNECT_TIMEOUT.reason()).isEqualTo("connect timeout");
		assertThat(UpstreamFailure.NO_ROUTE_TO_HOST.reason()).isEqualTo("no route to host");
	}

	@Test
	void failedTlsHandshakeIsItsOwnFailureNotAClosedConnection() {
		UpstreamFailure failure = UpstreamFailure.of(new SSLHandshakeException("PKIX path building failed"));
		assertThat(failure).isEqualTo(UpstreamFailure.TLS_HANDSHAKE);
		assertThat(failure.retryOn()).isEqualTo(RetryOn.CONN_FAILURE);
		assertThat(failure.mayHaveBeenSent()).isFalse();
		assertThat(failure.status().value()).isEqualTo(502);
		assertThat(failure.termination().label()).isEqualTo("tls-failed");
		assertThat(failure.clientText("app")).isEqualTo("the TLS handshake with the server failed");
	}

	@Test
	void timeoutIsAResponseTimeoutAnsweredWith504() {
		UpstreamFailure failure = UpstreamFailure.of(new TimeoutException());
		assertThat(failure).isEqualTo(UpstreamFailure.RESPONSE_TIMEOUT);
		assertThat(failure.retryOn()).isEqualTo(RetryOn.RESPONSE_TIMEOUT);
		assertThat(failure.mayHaveBeenSent()).isTrue();
		assertThat(failure.status().value()).isEqualTo(504);
		assertThat(failure.termination().label()).isEqualTo("server-timeout");
		assertThat(failure.clientText("app")).isEqualTo("the server did not answer in time");
	}

	@Test
	void closeOrResetBeforeTheResponseIsAnEmptyResponseAnsweredWith502() {
		assertThat(UpstreamFailure.of(PrematureCloseException.TEST_EXCEPTION))
			.isEqualTo(UpstreamFailure.CLOSED_BEFORE_RESPONSE);
		assertThat(UpstreamFailure.of(new IOException("Connection reset by peer")))
			.isEqualTo(UpstreamFailure.CONNECTION_RESET);
		for (UpstreamFailure failure : new UpstreamFailure[] { UpstreamFailure.CLOSED_BEFORE_RESPONSE,
				UpstreamFailure.CONNECTION_RESET }) {
			assertThat(failure.retryOn()).isEqualTo(RetryOn.EMPTY_RESPONSE);
			assertThat(failure.mayHaveBeenSent()).isTrue();
			assertThat(failure.status().value()).isEqualTo(502);
			assertThat(failure.termination().label()).isEqualTo("server-error");
			assertThat(failure.clientText("app")).isEqualTo("the server closed the connection before answering");
		}
	}

	@Test
	void refusedResponseFramingIsAJunkResponseAnswered502SayingWhy() {
		UpstreamFailure failure = UpstreamFailure.of(badFraming("Content-Length given twice"));
		assertThat(failure).isEqualTo(UpstreamFailure.BAD_RESPONSE);
		assertThat(failure.retryOn()).isEqualTo(RetryOn.JUNK_RESPONSE);
		assertThat(failure.retryOn().keyword()).isEqualTo("junk-response");
		assertThat(failure.mayHaveBeenSent()).isTrue();
		assertThat(failure.status().value()).isEqualTo(502);
		assertThat(failure.termination().label()).isEqualTo("bad-response");
		assertThat(failure.clientText("app")).isEqualTo("the server sent an invalid response");
		assertThat(failure.describe(new UpstreamException(failure, "app", badFraming("bare LF"))))
			.isEqualTo("bad response framing: bare LF");
	}

	@Test
	void serverMarkedDownIsRetriedWhateverRetryOnSaysAndOtherwiseAnswered502() {
		UpstreamFailure failure = UpstreamFailure.SERVER_DOWN;
		assertThat(failure.retryOn()).isNull();
		assertThat(failure.mayHaveBeenSent()).isTrue();
		assertThat(failure.status().value()).isEqualTo(502);
		assertThat(failure.termination().label()).isEqualTo("server-down");
		assertThat(failure.reason()).isEqualTo("server marked down");
	}

	@Test
	void noServerIsA503NamingThePool() {
		UpstreamFailure failure = UpstreamFailure.NO_SERVER;
		assertThat(failure.status().value()).isEqualTo(503);
		assertThat(failure.termination().label()).isEqualTo("no-server");
		assertThat(failure.clientText("app")).isEqualTo("no server of pool 'app' is available");
		assertThat(failure.clientText(null)).isEqualTo("no server of the route is available");
	}

	@Test
	void theFailureOfAnUpstreamExceptionIsItsOwnAndABugIsNoUpstreamFailure() {
		assertThat(UpstreamFailure.of(new UpstreamException(UpstreamFailure.SERVER_DOWN, "app", null)))
			.isEqualTo(UpstreamFailure.SERVER_DOWN);
		assertThat(UpstreamFailure.of(new IllegalStateException("bug"))).isNull();
	}

	private static Throwable badFraming(String reason) {
		return new BadResponseFramingException(reason);
	}

}

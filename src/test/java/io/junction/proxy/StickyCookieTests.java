package io.junction.proxy;

import java.net.URI;

import io.junction.pools.Pool;
import io.junction.pools.PoolRegistry;
import io.junction.pools.PoolServer;
import io.junction.pools.PoolsProperties;
import io.junction.pools.TestPools;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sticky cookie read from a request, taken out of what the server receives, and set
 * on a response only when it names another server.
 */
class StickyCookieTests {

	private final Pool pool = stickyPool();

	private final PoolServer app01 = this.pool.servers().get(0);

	private final PoolServer app02 = this.pool.servers().get(1);

	@Test
	void cookieNamingAServerOfThePoolRequestsIt() {
		assertThat(cookie("a=1; SRV=" + this.app02.stickyToken()).requested()).isSameAs(this.app02);
		assertThat(cookie("SRV=0000000000000000").requested()).isNull();
		assertThat(cookie(null).requested()).isNull();
	}

	@Test
	void onlyTheStickyCookieIsTakenOutOfEveryCookieHeader() {
		DefaultHttpHeaders sent = new DefaultHttpHeaders();
		sent.add(HttpHeaders.COOKIE, "a=1; SRV=" + this.app01.stickyToken() + ";SRVX=2");
		sent.add(HttpHeaders.COOKIE, "SRV=x; b=3");
		cookie("SRV=" + this.app01.stickyToken()).removeFrom(sent);
		assertThat(sent.getAll(HttpHeaders.COOKIE)).containsExactly("a=1; SRVX=2; b=3");
	}

	@Test
	void aCookieHeaderWithOnlyTheStickyCookieIsRemoved() {
		DefaultHttpHeaders sent = new DefaultHttpHeaders();
		sent.add(HttpHeaders.COOKIE, "SRV=" + this.app01.stickyToken());
		cookie("SRV=" + this.app01.stickyToken()).removeFrom(sent);
		assertThat(sent.contains(HttpHeaders.COOKIE)).isFalse();
	}

	@Test
	void rightCookieIsNotSetAgain() {
		HttpHeaders response = new HttpHeaders();
		cookie("SRV=" + this.app01.stickyToken()).setOn(response, this.app01, false);
		assertThat(response.isEmpty()).isTrue();
	}

	@Test
	void otherServerIsSetWithCacheControlPrivate() {
		HttpHeaders response = new HttpHeaders();
		cookie("SRV=" + this.app01.stickyToken()).setOn(response, this.app02, true);
		assertThat(response.get(HttpHeaders.SET_COOKIE))
			.containsExactly("SRV=" + this.app02.stickyToken() + "; Path=/; HttpOnly; Secure");
		assertThat(response.get(HttpHeaders.CACHE_CONTROL)).containsExactly("private");
	}

	@Test
	void serversPrivateOrNoStoreCacheControlIsLeftAlone() {
		HttpHeaders response = new HttpHeaders();
		response.add(HttpHeaders.CACHE_CONTROL, "no-store");
		cookie(null).setOn(response, this.app02, false);
		assertThat(response.get(HttpHeaders.CACHE_CONTROL)).containsExactly("no-store");
	}

	private StickyCookie cookie(String header) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.method(HttpMethod.GET,
				URI.create("http://junction/"));
		if (header != null) {
			// The mock request reads its cookies from the builder, not from the header.
			request.header(HttpHeaders.COOKIE, header);
			for (String pair : header.split(";")) {
				String[] nameValue = pair.trim().split("=", 2);
				request.cookie(new HttpCookie(nameValue[0], nameValue[1]));
			}
		}
		StickyCookie cookie = StickyCookie.of(this.pool, request.build());
		assertThat(cookie).isNotNull();
		return cookie;
	}

	private static Pool stickyPool() {
		PoolsProperties properties = TestPools.properties(java.util.Map.of("app", new int[] { 1, 1 }));
		properties.getBackends().get("app").getSticky().setCookie("SRV");
		return new PoolRegistry(properties).current().get("app");
	}

}

package io.junction.routing;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.RequestPath;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The same request, headers and body untouched, at another raw path: scheme, authority
 * and raw query are kept. Cheaper than Gateway's rebuild of the request, which copies
 * every header.
 */
final class RequestAtPath extends ServerHttpRequestDecorator {

	private final URI uri;

	private @Nullable RequestPath path;

	RequestAtPath(ServerHttpRequest request, String rawPath) {
		super(request);
		this.uri = withRawPath(request.getURI(), rawPath);
	}

	@Override
	public URI getURI() {
		return this.uri;
	}

	@Override
	public RequestPath getPath() {
		RequestPath path = this.path;
		if (path == null) {
			path = RequestPath.parse(this.uri, getDelegate().getPath().contextPath().value());
			this.path = path;
		}
		return path;
	}

	private static URI withRawPath(URI uri, String rawPath) {
		StringBuilder text = new StringBuilder();
		if (uri.getScheme() != null) {
			text.append(uri.getScheme()).append(':');
		}
		if (uri.getRawAuthority() != null) {
			text.append("//").append(uri.getRawAuthority());
		}
		text.append(rawPath);
		if (uri.getRawQuery() != null) {
			text.append('?').append(uri.getRawQuery());
		}
		return URI.create(text.toString());
	}

}

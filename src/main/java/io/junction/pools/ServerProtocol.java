package io.junction.pools;

/**
 * The HTTP version a pool speaks to its servers, whatever the client spoke to Junction:
 * HAProxy's {@code proto h2} on a {@code server} line, which gRPC servers need.
 */
public enum ServerProtocol {

	/** HTTP/1.1, one request at a time per connection. */
	HTTP1,

	/** HTTP/2 in clear text, with prior knowledge: the server's URLs must be http. */
	H2C,

	/** HTTP/2 over TLS, agreed by ALPN: the server's URLs must be https. */
	H2

}

package io.junction.pools;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a pool's https servers are verified, checked at start-up.
 *
 * @param caBundle the PEM file of the authorities to trust, or null for the JVM's
 * @param authorities the certificates read from it at check time
 * @param serverName the SNI name, also checked against the certificates, or null for each
 * server's host
 * @param insecureSkipVerify whether any certificate is accepted
 */
public record TlsSettings(@Nullable Path caBundle, List<X509Certificate> authorities, @Nullable String serverName,
		boolean insecureSkipVerify) {

	/** The JVM's trust, the server's own host name. */
	public static final TlsSettings DEFAULT = new TlsSettings(null, List.of(), null, false);

	public TlsSettings {
		authorities = List.copyOf(authorities);
	}

}

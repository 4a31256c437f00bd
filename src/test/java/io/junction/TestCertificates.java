package io.junction;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificate authorities and the certificates they sign, made at run time for the TLS
 * tests, and written as the PEM files a Kubernetes TLS Secret holds.
 */
public final class TestCertificates {

	private static final AtomicLong serials = new AtomicLong(System.currentTimeMillis());

	private TestCertificates() {
	}

	/** A new certificate authority named {@code name}. */
	public static Authority authority(String name) {
		KeyPair keys = keys();
		X500Name subject = new X500Name("CN=" + name);
		try {
			X509v3CertificateBuilder builder = builder(subject, subject, keys)
				.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
				.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			return new Authority(sign(builder, keys), keys);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static KeyPair keys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
		Instant now = Instant.now();
		return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serials.incrementAndGet()),
				Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(2))), subject,
				keys.getPublic());
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
		try {
			return new JcaX509CertificateConverter().getCertificate(
					builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
		}
		catch (OperatorCreationException | GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String pem(Object... objects) {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			for (Object object : objects) {
				writer.writeObject(object);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return text.toString();
	}

	/** Writes {@code text} to {@code file} by renaming a file written beside it. */
	static void writeAtomically(Path file, String text) {
		try {
			Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
			Files.writeString(temporary, text);
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A certificate authority: signs certificates for names. */
	public record Authority(X509Certificate certificate, KeyPair keys) {

		/**
		 * A certificate for {@code names} (DNS names, or IP addresses such as
		 * {@code 127.0.0.1}), signed by this authority.
		 */
		public Issued issue(String... names) {
			KeyPair leafKeys = keys();
			List<GeneralName> alternatives = new ArrayList<>();
			for (String name : names) {
				alternatives.add(new GeneralName(
						name.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, name));
			}
			try {
				X509v3CertificateBuilder builder = builder(
						X500Name.getInstance(this.certificate.getSubjectX500Principal().getEncoded()),
						new X500Name("CN=" + names[0]), leafKeys)
					.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
					.addExtension(Extension.subjectAlternativeName, false,
							new GeneralNames(alternatives.toArray(GeneralName[]::new)));
				return new Issued(sign(builder, this.keys), leafKeys, this);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** The authority's certificate as PEM, for a trust bundle. */
		public String pem() {
			return TestCertificates.pem(this.certificate);
		}

		/** Writes the authority's certificate to {@code file}. */
		public Path write(Path file) {
			writeAtomically(file, pem());
			return file;
		}

	}

	/** A certificate and its private key. */
	public record Issued(X509Certificate certificate, KeyPair keys, Authority issuer) {

		/**
		 * Writes the chain (this certificate, then its issuer's) to {@code chain} and the
		 * key to {@code key}, each by rename, as a Secret update does.
		 */
		public void write(Path chain, Path key) {
			try {
				// PKCS#8 ("PRIVATE KEY"), as cert-manager and kubectl write it.
				writeAtomically(key, TestCertificates.pem(new JcaPKCS8Generator(this.keys.getPrivate(), null)));
			}
			catch (PemGenerationException ex) {
				throw new IllegalStateException(ex);
			}
			writeAtomically(chain, TestCertificates.pem(this.certificate, this.issuer.certificate()));
		}

	}

}

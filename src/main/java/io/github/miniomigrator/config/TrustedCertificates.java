package io.github.miniomigrator.config;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Trust for an https endpoint signed by a private CA (a self-hosted MinIO often is): the CA certificates of a PEM file. */
public final class TrustedCertificates {
    private TrustedCertificates() {
    }

    public static X509TrustManager trustManager(Setting setting, String pemFile) {
        Path path = Path.of(pemFile);
        try (InputStream in = Files.newInputStream(path)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new SettingsException(setting.key() + "=" + pemFile + " holds no certificate: give a PEM file with the CA certificate.");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (SettingsException e) {
            throw e;
        } catch (Exception e) {
            throw new SettingsException(setting.key() + "=" + pemFile + " cannot be read as PEM certificates: " + e.getMessage());
        }
    }

    public static SSLContext sslContext(X509TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}

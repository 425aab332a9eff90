package io.github.miniomigrator.config;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.http.apache.ProxyConfiguration;

/**
 * The HTTP proxy a store is reached through (migration.target.proxy, migration.source.proxy), as networks that let nothing out but through
 * a proxy need: https goes through a CONNECT tunnel, so the proxy sees the target's host and port, never a byte of the
 * objects or the credentials. Set, it replaces whatever the JVM's properties or the environment say; unset, the AWS SDK
 * looks there itself (https.proxyHost, else HTTPS_PROXY and NO_PROXY).
 */
public record TargetProxy(URI endpoint, String username, String password) {
    public static Optional<TargetProxy> of(Settings settings) {
        return of(settings, StoreSide.TARGET);
    }

    /** The same for either store: migration.source.proxy and its credentials are read as the target's are. */
    public static Optional<TargetProxy> of(Settings settings, StoreSide side) {
        String value = settings.get(side.proxy()).trim();
        String username = settings.get(side.proxyUsername());
        String password = settings.get(side.proxyPassword());
        if (value.isEmpty()) {
            if (!username.isEmpty() || !password.isEmpty()) {
                throw new SettingsException(side.proxyUsername().key() + " and " + side.proxyPassword().key()
                        + " are for a proxy, and " + side.proxy().key() + " is empty: set it to http://host:port.");
            }
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getPort() < 0
                || uri.getUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            // the value is not echoed: a user:password@ written into it by mistake would be printed
            throw new SettingsException(side.proxy().key() + " is not http://host:port (scheme http or https, a host, a port, "
                    + "no path; a user name and password go in " + side.proxyUsername().key() + " and "
                    + side.proxyPassword().key() + ").");
        }
        if (username.isEmpty() != password.isEmpty()) {
            throw new SettingsException("set both " + side.proxyUsername().key() + " and " + side.proxyPassword().key()
                    + " for a proxy that asks for a password, or neither.");
        }
        return Optional.of(new TargetProxy(URI.create(scheme + "://" + uri.getHost() + ":" + uri.getPort()), username, password));
    }

    ProxyConfiguration configuration() {
        ProxyConfiguration.Builder builder = ProxyConfiguration.builder().endpoint(endpoint)
                .useSystemPropertyValues(false).useEnvironmentVariableValues(false);
        if (!username.isEmpty()) {
            builder.username(username).password(password);
        }
        return builder.build();
    }

    /**
     * The same proxy for OkHttp, the MinIO client's HTTP client: https through a CONNECT tunnel, http as absolute
     * requests, Basic credentials once the proxy asks for them (a second 407 ends the request: the password is wrong).
     */
    void applyTo(okhttp3.OkHttpClient.Builder http) {
        http.proxy(new java.net.Proxy(java.net.Proxy.Type.HTTP, java.net.InetSocketAddress.createUnresolved(endpoint.getHost(), endpoint.getPort())));
        if (!username.isEmpty()) {
            String credentials = okhttp3.Credentials.basic(username, password);
            http.proxyAuthenticator((route, response) -> response.request().header("Proxy-Authorization") != null ? null
                    : response.request().newBuilder().header("Proxy-Authorization", credentials).build());
        }
    }

    /** Never the password. */
    @Override
    public String toString() {
        return endpoint + (username.isEmpty() ? "" : " as " + username);
    }
}

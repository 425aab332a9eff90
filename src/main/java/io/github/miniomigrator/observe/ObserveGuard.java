package io.github.miniomigrator.observe;

import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x handler in front of /observe/*: a request with the credentials goes on to Camel's health check or
 * metrics; any other gets 401 with the schemes it may use and the settings that hold the credentials, by name. It
 * sits in Camel's own authentication hook of platform-http ({@link #entry}), which Camel's built-in mechanisms cannot
 * fill here: they read users from a properties file or verify JWTs, while a scraper sends a static bearer token or
 * basic auth, and the secrets are settings (masked everywhere), not files.
 */
final class ObserveGuard implements AuthenticationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ObserveGuard.class);
    private final ObserveCredentials credentials;

    ObserveGuard(ObserveCredentials credentials) {
        this.credentials = credentials;
    }

    /** Camel's authentication entry for the paths under {@code path} (e.g. /observe/*), guarded by these credentials. */
    static AuthenticationConfig.AuthenticationConfigEntry entry(String path, ObserveCredentials credentials) {
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        entry.setPath(path);
        // the guard holds its credentials itself: there is no Vert.x authentication provider to build
        entry.setAuthenticationProviderFactory(vertx -> null);
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T unused) {
                return new ObserveGuard(credentials);
            }
        });
        return entry;
    }

    @Override
    public void handle(RoutingContext context) {
        if (credentials.admits(context.request().getHeader("Authorization"))) {
            context.next();
            return;
        }
        // the header is never logged: a wrong one may be a real secret sent to the wrong place
        LOG.debug("401 for {} {} from {}: no or wrong credentials", context.request().method(), context.request().path(),
                context.request().remoteAddress());
        // the console's page asks for the credentials itself: a challenge its browser knows would pop the browser's own
        // login box over it, so the page is told the schemes under names no browser acts on
        boolean console = "1".equals(context.request().getHeader("X-Migrator-Console"));
        context.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", console ? credentials.challenges().stream().map(c -> "Console-" + c).toList()
                        : credentials.challenges())
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("401 Unauthorized: send " + credentials.describe() + "\n");
    }
}

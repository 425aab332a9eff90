package io.github.miniomigrator.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.main.MainHttpServerFactory;

/**
 * camel-main's HTTP servers as camel-platform-http-main builds them, with {@link ObserveGuard} in front of the
 * management path (/observe: health and metrics). camel-main looks this factory up in the registry before its own, so
 * binding it is all it takes; the guard is in the server's router before the server listens, so no request reaches
 * health or metrics unguarded, not even during startup. The webhook (/minio/events) is not behind it: it checks
 * MinIO's own token itself.
 */
public final class GuardedHttpServerFactory implements MainHttpServerFactory, CamelContextAware {
    private final DefaultMainHttpServerFactory standard = new DefaultMainHttpServerFactory();
    private final ObserveCredentials credentials;
    private final String guardedPath;

    /** @param managementPath the path health and metrics are served under, e.g. /observe: everything below it is guarded */
    public GuardedHttpServerFactory(ObserveCredentials credentials, String managementPath) {
        this.credentials = credentials;
        this.guardedPath = managementPath.replaceAll("/+$", "") + "/*";
    }

    @Override
    public Service newHttpServer(CamelContext context, HttpServerConfigurationProperties configuration) {
        Service server = standard.newHttpServer(context, configuration);
        guard(((MainHttpServer) server).getConfiguration());
        return server;
    }

    /** Used when health and metrics have a server of their own (a port of their own); here they share the main one. */
    @Override
    public Service newHttpManagementServer(CamelContext context, HttpManagementServerConfigurationProperties configuration) {
        Service server = standard.newHttpManagementServer(context, configuration);
        guard(((ManagementHttpServer) server).getConfiguration());
        return server;
    }

    private void guard(VertxPlatformHttpServerConfiguration configuration) {
        configuration.getAuthenticationConfig().getEntries().add(ObserveGuard.entry(guardedPath, credentials));
        configuration.getAuthenticationConfig().setEnabled(true);
    }

    @Override
    public CamelContext getCamelContext() {
        return standard.getCamelContext();
    }

    @Override
    public void setCamelContext(CamelContext context) {
        standard.setCamelContext(context);
    }
}

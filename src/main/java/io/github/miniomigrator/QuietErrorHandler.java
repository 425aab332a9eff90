package io.github.miniomigrator;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Every route's error handler, as a route configuration without an id (Camel applies it to every route that names
 * none): a store's failure is the tool's to count, retry and sum up (one line per burst), so Camel's own ERROR block
 * with a stack trace and message history per failed exchange — thousands a minute in an outage — goes to DEBUG, where
 * it stays available. An integrator's route that names its own route configuration keeps its own.
 */
final class QuietErrorHandler extends RouteConfigurationBuilder {
    @Override
    public void configuration() {
        routeConfiguration().errorHandler(defaultErrorHandler().retriesExhaustedLogLevel(LoggingLevel.DEBUG).logExhaustedMessageHistory(false)
                .logStackTrace(false));
    }
}

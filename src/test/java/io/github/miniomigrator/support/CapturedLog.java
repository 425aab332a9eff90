package io.github.miniomigrator.support;

import java.io.StringWriter;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Every log line written while this is open, laid out and filtered by one of the tool's own appenders (log4j2.xml's console layout
 * unless told otherwise; they mask secrets themselves), with the named loggers turned up to INFO so that more lines — other libraries' too — are looked at.
 */
public final class CapturedLog implements AutoCloseable {
    private final StringWriter captured = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final Appender appender;

    public CapturedLog(List<String> loggersAtInfo) {
        this("console", loggersAtInfo);
    }

    /** @param layoutOf the appender of log4j2.xml whose layout lays the lines out (console, file) */
    public CapturedLog(String layoutOf, List<String> loggersAtInfo) {
        Configuration config = context.getConfiguration();
        PatternLayout layout = (PatternLayout) config.getAppender(layoutOf).getLayout();
        // filtered as that appender is (the console shows no line marked logging.Printed): what it would show, no more
        appender = WriterAppender.newBuilder().setName("captured-" + layoutOf).setTarget(captured).setLayout(layout)
                .setFilter(((org.apache.logging.log4j.core.filter.Filterable) config.getAppender(layoutOf)).getFilter()).build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
        loggersAtInfo.forEach(logger -> Configurator.setLevel(logger, Level.INFO));
    }

    public String text() {
        synchronized (captured) {
            return captured.toString();
        }
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        appender.stop();
        context.reconfigure(); // back to log4j2.xml's levels
    }
}

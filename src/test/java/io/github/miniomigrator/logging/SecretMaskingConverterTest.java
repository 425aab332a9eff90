package io.github.miniomigrator.logging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.io.Serializable;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A secret handed to any logger, in the message or in an exception, never reaches the console or the log file: their
 * layouts (log4j2.xml) mask it. Each layout is put on a capturing appender of its own, whatever the state of logging
 * in this JVM (System.err swapped under a console appender that already exists would capture nothing).
 */
class SecretMaskingConverterTest {
    @ParameterizedTest
    @ValueSource(strings = {"console", "file"})
    void theLayoutMasksSecretsInMessagesAndExceptions(String appenderName) {
        String secret = "s3cr3t-key-in-a-log-line-42";
        SecretMaskingConverter.register(List.of(secret));
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        Appender shipped = configuration.getAppender(appenderName);
        assertNotNull(shipped, "log4j2.xml has the appender " + appenderName);
        @SuppressWarnings("unchecked")
        Layout<? extends Serializable> layout = (Layout<? extends Serializable>) shipped.getLayout();
        StringWriter captured = new StringWriter();
        WriterAppender capture = WriterAppender.newBuilder().setName("capture-" + appenderName).setTarget(captured).setLayout(layout).build();
        capture.start();
        configuration.addAppender(capture);
        configuration.getRootLogger().addAppender(capture, null, null);
        context.updateLoggers();
        try {
            org.slf4j.LoggerFactory.getLogger("io.github.miniomigrator.test").warn("connecting with {}", secret,
                    new IllegalStateException("bad secret " + secret));
        } finally {
            configuration.getRootLogger().removeAppender(capture.getName());
            context.updateLoggers();
            capture.stop();
        }
        String output = captured.toString();
        assertTrue(output.contains("connecting with ****") && output.contains("IllegalStateException: bad secret ****"), output);
        assertFalse(output.contains(secret), output);
    }
}

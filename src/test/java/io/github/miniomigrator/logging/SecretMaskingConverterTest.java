package io.github.miniomigrator.logging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;

/** A secret handed to any logger, in the message or in an exception, never reaches the console: the layout masks it. */
class SecretMaskingConverterTest {
    @Test
    void theLayoutMasksSecretsInMessagesAndExceptions() {
        String secret = "s3cr3t-key-in-a-log-line-42";
        SecretMaskingConverter.register(List.of(secret));
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ((LoggerContext) LogManager.getContext(false)).reconfigure(); // the console appender picks up the new System.err
            org.slf4j.LoggerFactory.getLogger("io.github.miniomigrator.test").warn("connecting with {}", secret,
                    new IllegalStateException("bad secret " + secret));
        } finally {
            System.setErr(original);
            ((LoggerContext) LogManager.getContext(false)).reconfigure();
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("connecting with ****") && output.contains("IllegalStateException: bad secret ****"), output);
        assertFalse(output.contains(secret), output);
    }
}

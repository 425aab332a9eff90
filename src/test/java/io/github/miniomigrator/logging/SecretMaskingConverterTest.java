package io.github.miniomigrator.logging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.CapturedLog;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A secret handed to any logger, in the message or in an exception, never reaches the console or the log file: their
 * layouts (log4j2.xml) mask it.
 */
class SecretMaskingConverterTest {
    @ParameterizedTest
    @ValueSource(strings = {"console", "file"})
    void theLayoutMasksSecretsInMessagesAndExceptions(String appender) {
        String secret = "s3cr3t-key-in-a-log-line-42";
        SecretMaskingConverter.register(List.of(secret));
        String output;
        try (CapturedLog log = new CapturedLog(appender, List.of())) {
            org.slf4j.LoggerFactory.getLogger("io.github.miniomigrator.test").warn("connecting with {}", secret,
                    new IllegalStateException("bad secret " + secret));
            output = log.text();
        }
        assertTrue(output.contains("connecting with ****") && output.contains("IllegalStateException: bad secret ****"), output);
        assertFalse(output.contains(secret), output);
    }
}

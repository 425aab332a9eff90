package io.github.miniomigrator.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a hook endpoint receives, as the exchange property {@value #PROPERTY}: an object's outcome, a pass's report, a
 * cutover's result. The hook routes send its JSON; a robot's message is made from its line.
 */
public interface HookPayload {
    /** The exchange property a route step leaves its payload in (Simple: {@code ${exchangeProperty.MigrationResult.key}}). */
    String PROPERTY = "MigrationResult";
    /** The header every route step that has an outcome sets: the one thing a hook's filter looks at, per object. */
    String OUTCOME = "MigrationOutcome";

    /** One JSON object, the same shape every time for one hook. */
    String json();

    /** A record's JSON, its components as fields (one mapper for every payload). */
    static String json(Object payload) {
        try {
            return Json.MAPPER.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line for a person, in the process's language (migration.language): a robot's message. */
    String line();

    /** Holds the mapper an interface cannot keep in a private field. */
    final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();

        private Json() {
        }
    }
}

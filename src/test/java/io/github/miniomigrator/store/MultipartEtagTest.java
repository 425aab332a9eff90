package io.github.miniomigrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ETag of an object completed from parts, by the kinds of part ETag a store returns. The expected values were
 * computed apart from this code (Python's hashlib: the MD5 of the parts' binary MD5s).
 */
class MultipartEtagTest {
    /** MD5("part one") and MD5("part two"). */
    static final String ONE = "3303e12af474ca11d85ed2966a932992";
    static final String TWO = "3ea4e15b91a17dc76052c56cfcdf67a2";
    static final String BOTH = "0732917abc3288784e318ac0aab1757a-2";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("two plain MD5s", List.of(ONE, TWO), Optional.of(BOTH)),
                Arguments.of("quoted, as S3 answers", List.of("\"" + ONE + "\"", "\"" + TWO + "\""), Optional.of(BOTH)),
                Arguments.of("upper case, as OSS answers", List.of(ONE.toUpperCase(), TWO.toUpperCase()), Optional.of(BOTH)),
                Arguments.of("surrounded by blanks", List.of(" " + ONE, TWO + " "), Optional.of(BOTH)),
                Arguments.of("one part: the MD5 of its MD5, and -1", List.of(ONE), Optional.of("a675974b8fb9bfea1d5007ce26896811-1")),
                Arguments.of("the order of the parts counts", List.of(TWO, ONE), Optional.of("7d89a58c206655aecfd8f50e052f6d21-2")),
                Arguments.of("a part's ETag no MD5 (encrypted, or itself multipart)", List.of(ONE, TWO + "-3"), Optional.empty()),
                Arguments.of("a part's ETag too short", List.of(ONE, TWO.substring(1)), Optional.empty()),
                Arguments.of("a part's ETag not hex", List.of(ONE, "z" + TWO.substring(1)), Optional.empty()),
                Arguments.of("a part without an ETag", java.util.Arrays.asList(ONE, null), Optional.empty()),
                Arguments.of("an empty ETag", List.of(ONE, ""), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void etagOfPartsByKindOfPartEtag(String what, List<String> parts, Optional<String> expected) {
        assertEquals(expected, MultipartEtag.of(parts), what);
    }
}

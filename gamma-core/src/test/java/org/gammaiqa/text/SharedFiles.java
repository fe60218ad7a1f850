package org.gammaiqa.text;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test access to ../shared (set by surefire as {@code gamma.shared}) and to this package's test resources. */
final class SharedFiles {
    private SharedFiles() {}

    /** A file under the shared directory; fails the test (never skips) if it is not there. */
    static Path shared(String first, String... more) {
        String root = System.getProperty("gamma.shared");
        if (root == null) {
            fail("system property gamma.shared is not set; run the tests through Maven (the root pom sets it to ../shared)"
                    + " or pass -Dgamma.shared=/path/to/shared");
        }
        Path file = Path.of(root, first).resolve(Path.of("", more));
        if (!Files.exists(file)) {
            fail("missing " + file + "; the text tests need the shared reference assets (gamma.shared=" + root + ")");
        }
        return file;
    }

    static Path vocabulary() {
        return shared("clip", "bpe_simple_vocab_16e6.txt.gz");
    }

    /** {@code text/tokenizer_cases.json}, written by {@code make_tokenizer_cases.py} beside it. */
    static JsonNode tokenizerCases() throws IOException {
        try (InputStream in = SharedFiles.class.getResourceAsStream("/text/tokenizer_cases.json")) {
            if (in == null) {
                fail("test resource text/tokenizer_cases.json is missing; regenerate it with make_tokenizer_cases.py");
            }
            return new ObjectMapper().readTree(in);
        }
    }
}

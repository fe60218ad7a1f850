package org.gammaiqa.text;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/** This package's test resources. */
final class SharedFiles {
    private SharedFiles() {}

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

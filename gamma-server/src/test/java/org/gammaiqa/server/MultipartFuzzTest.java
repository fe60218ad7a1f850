package org.gammaiqa.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzzes the multipart/form-data parser: the input's first line is the Content-Type, the rest the body. Every input
 * must give parts or an {@link ApiException}; anything else is a finding. The build replays the committed seeds
 * (MultipartFuzzTestInputs/); fuzz/fuzz.sh fuzzes it.
 */
class MultipartFuzzTest {
    @FuzzTest
    void parse(byte[] input) {
        int newline = 0;
        while (newline < input.length && input[newline] != '\n') {
            newline++;
        }
        String contentType = new String(input, 0, newline, StandardCharsets.ISO_8859_1);
        byte[] body = Arrays.copyOfRange(input, Math.min(newline + 1, input.length), input.length);
        try {
            Multipart.parse(body, Multipart.boundary(contentType), 4);
        } catch (ApiException expected) {
            // a 4xx answer in words is the wanted outcome for a malformed body
        }
    }
}

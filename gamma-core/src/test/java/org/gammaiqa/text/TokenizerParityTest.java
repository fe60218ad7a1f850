package org.gammaiqa.text;

import org.gammaiqa.testing.TestAssets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Id-for-id parity with {@code gamma_ref.Tokenizer} on the cases in {@code text/tokenizer_cases.json}. */
class TokenizerParityTest {
    private static ClipTokenizer tokenizer;
    private static JsonNode cases;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = ClipTokenizer.load(TestAssets.vocabulary());
        cases = SharedFiles.tokenizerCases();
    }

    @Test
    void fixtureCoversEnoughStringsAndTheReferenceSpecialTokens() {
        assertThat(cases.get("encode").size()).isGreaterThanOrEqualTo(60);
        assertThat(tokenizer.startToken()).isEqualTo(cases.get("start").asInt());
        assertThat(tokenizer.endToken()).isEqualTo(cases.get("end").asInt());
    }

    @TestFactory
    Stream<DynamicTest> encodeMatchesReference() {
        int context = cases.get("context").asInt();
        return elements("encode").map(c -> dynamicTest(label(c.get("text").asText()), () -> {
            String text = c.get("text").asText();
            int[] expected = StreamSupport.stream(c.get("ids").spliterator(), false).mapToInt(JsonNode::asInt).toArray();
            assertThat(tokenizer.encode(text)).as("encode(%s)", label(text)).containsExactly(expected);

            int[] row = new int[context];
            row[0] = tokenizer.startToken();
            System.arraycopy(expected, 0, row, 1, expected.length);
            row[expected.length + 1] = tokenizer.endToken();
            assertThat(tokenizer.tokenize(text, context)).containsExactly(row);
        }));
    }

    @TestFactory
    Stream<DynamicTest> textTooLongForTheContextIsRejected() {
        int context = cases.get("context").asInt();
        return elements("too_long").map(c -> dynamicTest(label(c.asText()), () -> {
            int count = tokenizer.encode(c.asText()).length + 2;
            assertThat(count).isGreaterThan(context);
            assertThatThrownBy(() -> tokenizer.tokenize(c.asText(), context))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(count + " tokens")
                    .hasMessageContaining("context length " + context)
                    .hasMessageContaining(c.asText().substring(0, 20));
        }));
    }

    @TestFactory
    Stream<DynamicTest> htmlUnescapeMatchesPython() {
        return elements("unescape").map(c -> dynamicTest(label(c.get("text").asText()),
                () -> assertThat(HtmlUnescape.unescape(c.get("text").asText())).isEqualTo(c.get("expected").asText())));
    }

    @TestFactory
    Stream<DynamicTest> lowerMatchesPython() {
        return elements("lower").map(c -> dynamicTest(label(c.get("text").asText()),
                () -> assertThat(PythonStrings.lower(c.get("text").asText())).isEqualTo(c.get("expected").asText())));
    }

    private static Stream<JsonNode> elements(String section) {
        List<JsonNode> list = new ArrayList<>();
        cases.get(section).forEach(list::add);
        return list.stream();
    }

    /** A readable test name: code points outside printable ASCII as U+XXXX, long texts cut. */
    private static String label(String text) {
        StringBuilder b = new StringBuilder("\"");
        text.codePoints().limit(40).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F) {
                b.appendCodePoint(cp);
            } else {
                b.append(String.format("<U+%04X>", cp));
            }
        });
        return b.append(text.codePointCount(0, text.length()) > 40 ? "…\"" : "\"").toString();
    }

    @Test
    void encodeIsThreadSafe() throws Exception {
        List<String> texts = elements("encode").map(c -> c.get("text").asText()).toList();
        List<int[]> expected = texts.stream().map(tokenizer::encode).toList();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int round = 0; round < 20; round++) {
                    for (int i = 0; i < texts.size(); i++) {
                        if (!Arrays.equals(tokenizer.encode(texts.get(i)), expected.get(i))) {
                            failures.add(new AssertionError("different ids under concurrency for " + label(texts.get(i))));
                        }
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }
}

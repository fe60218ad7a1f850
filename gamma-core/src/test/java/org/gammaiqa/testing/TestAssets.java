package org.gammaiqa.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find assets that are not copied into the project: the CLIP vocabulary in
 * {@code ../shared} and the committed parity fixtures. A missing asset fails the test with a
 * message saying what to provide; nothing is skipped silently.
 */
public final class TestAssets {
    private TestAssets() {}

    /** CLIP's BPE vocabulary, from {@code -Dgamma.shared} (Maven sets it to {@code ../shared}). */
    public static Path vocabulary() {
        return shared("clip", "bpe_simple_vocab_16e6.txt.gz");
    }

    /** A file of the shared reference assets ({@code ../shared}: vocabulary, upstream configs, reference code). */
    public static Path shared(String first, String... more) {
        return existing(dir("gamma.shared").resolve(first).resolve(Path.of("", more)),
                "the shared reference assets; put the shared/ folder beside the checkout or set -Dgamma.shared");
    }

    /** The folder of committed fixtures ({@code fixtures/} at the repository root). */
    public static Path fixtures() {
        return existing(dir("gamma.fixtures"), "the fixtures folder; run the tests through Maven from the checkout");
    }

    /** A parity fixture checkpoint folder, e.g. {@code micro-fp16}. */
    public static Path fixture(String name) {
        return existing(fixtures().resolve(name), "fixture " + name + "; regenerate with fixtures/regenerate.sh");
    }

    private static Path dir(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set; run the tests through Maven");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    private static Path existing(Path p, String what) {
        if (!Files.exists(p)) {
            throw new IllegalStateException("missing " + p + ": " + what);
        }
        return p;
    }
}

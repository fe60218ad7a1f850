package org.gammaiqa.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the image fixtures written by {@code images/make_image_cases.py} and compares pixels. */
final class Fixtures {
    private Fixtures() {
    }

    static Path dir() {
        URL url = Fixtures.class.getResource("/images/cases.json");
        if (url == null) {
            throw new IllegalStateException("test resource images/cases.json is missing;"
                    + " run gamma-core/src/test/resources/images/make_image_cases.py");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] read(String relative) {
        try {
            return Files.readAllBytes(dir().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Largest absolute difference between two equally long RGB byte arrays. */
    static int maxDiff(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new AssertionError("pixel arrays differ in length: " + a.length + " vs " + b.length);
        }
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
        }
        return max;
    }
}

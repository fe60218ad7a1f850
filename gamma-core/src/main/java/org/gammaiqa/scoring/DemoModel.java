package org.gammaiqa.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The built-in demo model: the Gamma architecture at small width with a byte-level text tower, trained from
 * scratch by {@code demo/train-demo.sh} on {@code gamma synth} data. It ranks synthetic distortions; it is not the
 * paper's model. Shipped as a classpath resource of this module. Checkpoints are memory-mapped from files, so the
 * first load in a JVM copies it into a private file: a new name nobody can predict, readable by this user only
 * (as {@link Files#createTempFile} makes it on POSIX file systems), deleted when the JVM exits. Every load checks
 * the file's SHA-256 against the resource's before reading it.
 */
public final class DemoModel {
    /** The model's name in results and in the service's description. */
    public static final String NAME = "gamma-demo";
    private static final String RESOURCE = "/org/gammaiqa/demo/gamma-demo.safetensors";
    private static Copy copy;

    private DemoModel() {}

    /** The private copy of the resource and the resource's SHA-256. */
    private record Copy(Path file, String sha256) {}

    /** Loads the demo model; no vocabulary is needed. */
    public static GammaScorer load(RuntimeOptions runtime) throws IOException {
        Copy c = copy();
        String actual = ModelSource.digest(c.file());
        if (!actual.equals(c.sha256())) {
            throw new IOException("the demo model's copy " + c.file() + " has SHA-256 " + actual + ", not the "
                    + "resource's " + c.sha256() + ": it was changed after it was written; refusing to load it");
        }
        return GammaScorer.load(c.file(), null, runtime, new ModelSource(c.file(), NAME, c.sha256()));
    }

    private static synchronized Copy copy() throws IOException {
        if (copy == null || !Files.isRegularFile(copy.file())) {
            byte[] bytes;
            try (InputStream in = DemoModel.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IOException("the demo model " + RESOURCE + " is not on the classpath; rebuild gamma-core, "
                            + "or pass --model with a Gamma checkpoint");
                }
                bytes = in.readAllBytes();
            }
            Path file = Files.createTempFile(NAME + "-", ".safetensors");
            file.toFile().deleteOnExit();
            Files.write(file, bytes);
            copy = new Copy(file, sha256(bytes));
        }
        return copy;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

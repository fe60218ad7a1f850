package org.gammaiqa.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * The built-in demo model: the Gamma architecture at small width with a byte-level text tower, trained from
 * scratch by {@code demo/train-demo.sh} on {@code gamma synth} data. It ranks synthetic distortions; it is not the
 * paper's model. Shipped as a classpath resource of this module and copied once to the temp folder, since
 * checkpoints are memory-mapped from files.
 */
public final class DemoModel {
    /** The model's name in results and in the service's description. */
    public static final String NAME = "gamma-demo";
    private static final String RESOURCE = "/org/gammaiqa/demo/gamma-demo.safetensors";

    private DemoModel() {}

    /** Loads the demo model; no vocabulary is needed. */
    public static GammaScorer load(RuntimeOptions runtime) throws IOException {
        return GammaScorer.load(file(), null, runtime, NAME);
    }

    /** The demo checkpoint as a file (a copy of the resource, made once per JVM and content). */
    static synchronized Path file() throws IOException {
        byte[] bytes;
        try (InputStream in = DemoModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the demo model " + RESOURCE + " is not on the classpath; rebuild gamma-core, "
                        + "or pass --model with a Gamma checkpoint");
            }
            bytes = in.readAllBytes();
        }
        Path file = Path.of(System.getProperty("java.io.tmpdir"),
                NAME + "-" + Integer.toHexString(Arrays.hashCode(bytes)) + "-" + bytes.length + ".safetensors");
        if (!Files.isRegularFile(file) || Files.size(file) != bytes.length) {
            Path temp = Files.createTempFile(file.getParent(), NAME, ".tmp");
            Files.write(temp, bytes);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }
}

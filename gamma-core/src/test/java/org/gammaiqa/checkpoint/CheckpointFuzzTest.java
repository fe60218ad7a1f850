package org.gammaiqa.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gammaiqa.model.CheckpointMismatchException;
import org.gammaiqa.model.ModelSummary;

/**
 * Fuzzes the checkpoint reader from zip (and legacy torch) seeds and from safetensors seeds: every file must give a
 * state dict whose tensors can all be read, or a {@link CheckpointException} of one printable line; a state dict
 * then goes through the architecture derivation, which may only refuse it in words. Anything else (another
 * exception, an Error, a hang) is a finding. The build replays the committed seeds (CheckpointFuzzTestInputs/);
 * fuzz/fuzz.sh fuzzes each.
 */
class CheckpointFuzzTest {
    private static final Path FILE = temporaryFile();

    @FuzzTest
    void zip(byte[] file) throws IOException {
        read(file);
    }

    @FuzzTest
    void safetensors(byte[] file) throws IOException {
        read(file);
    }

    private static void read(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        StateDict sd;
        try {
            sd = CheckpointReader.read(FILE);
        } catch (CheckpointException e) {
            if (!e.getMessage().equals(SafeText.line(e.getMessage()))) {
                throw new AssertionError("refusal is not one printable line: " + SafeText.line(e.getMessage()), e);
            }
            return;
        }
        for (StoredTensor t : sd.asMap().values()) {
            t.firstNonFinite();
        }
        try {
            ModelSummary.of(sd);
        } catch (CheckpointMismatchException expected) {
            // not a Gamma network, said in words
        }
    }

    private static Path temporaryFile() {
        try {
            Path p = Files.createTempFile("gamma-fuzz", ".ckpt");
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

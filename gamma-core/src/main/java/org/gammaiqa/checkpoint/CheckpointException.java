package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be read as a checkpoint: one line naming the file, the problem and what to do, with every
 * character that came from the file made printable ({@link SafeText}).
 */
public class CheckpointException extends IOException {
    public CheckpointException(Path file, String problem) {
        super(SafeText.line(file + ": " + problem));
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(SafeText.line(file + ": " + problem), cause);
    }
}

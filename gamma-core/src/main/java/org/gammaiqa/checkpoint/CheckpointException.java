package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be read as a checkpoint: the message names the file, the problem, and a hint. */
public class CheckpointException extends IOException {
    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}

package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be read as a checkpoint: the message names the file, the problem, and a hint. */
public class CheckpointException extends IOException {
    /** A problem with {@code file}, described by {@code problem}. */
    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /** A problem with {@code file}, described by {@code problem}, caused by {@code cause}. */
    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}

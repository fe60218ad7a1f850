package org.gammaiqa.checkpoint;

import java.io.IOException;

/** Bytes that break a checkpoint format's rules or a reader's budget; {@link #truncated} when the file ends early. */
final class CheckpointFormatException extends IOException {
    private final boolean truncated;

    CheckpointFormatException(String message, boolean truncated) {
        super(message);
        this.truncated = truncated;
    }

    static CheckpointFormatException malformed(String message) {
        return new CheckpointFormatException(message, false);
    }

    static CheckpointFormatException truncated(String message) {
        return new CheckpointFormatException(message, true);
    }

    boolean truncated() {
        return truncated;
    }
}

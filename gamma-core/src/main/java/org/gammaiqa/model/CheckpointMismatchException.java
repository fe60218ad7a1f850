package org.gammaiqa.model;

/** A readable checkpoint whose keys or shapes do not form a Gamma network; the message lists every problem. */
public class CheckpointMismatchException extends java.io.IOException {
    /** A mismatch, {@code message} listing every missing, unexpected and mis-shaped key. */
    public CheckpointMismatchException(String message) {
        super(message);
    }
}

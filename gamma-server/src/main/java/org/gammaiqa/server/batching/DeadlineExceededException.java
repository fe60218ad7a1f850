package org.gammaiqa.server.batching;

/** An image whose request deadline passed while it waited in the queue; it was not scored. */
public final class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException(String message) {
        super(message);
    }
}

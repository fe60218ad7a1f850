package org.gammaiqa.server.batching;

/** Work the batcher refused: its queue has no room for all the images of a request, or it is shutting down. */
public final class RejectedException extends Exception {
    public RejectedException(String message) {
        super(message);
    }
}

package org.gammaiqa.checkpoint;

/** A pickle the {@link SafeUnpickler} refuses or cannot read; the message says what and where, in words. */
public final class UnpicklingException extends RuntimeException {
    private final boolean truncated;

    public UnpicklingException(String message, boolean truncated) {
        super(message);
        this.truncated = truncated;
    }

    /** True when the pickle ends early (the file may be cut short), false when its content is refused or malformed. */
    public boolean truncated() {
        return truncated;
    }
}

package org.gammaiqa.image;

import java.io.IOException;

/** An image that cannot be decoded or is refused (too large, unsupported format); the message says why. */
public class ImageDecodeException extends IOException {
    /** An image that could not be decoded, {@code message} saying which and why. */
    public ImageDecodeException(String message) {
        super(message);
    }

    /** An image that could not be decoded, {@code message} saying which and why, caused by {@code cause}. */
    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}

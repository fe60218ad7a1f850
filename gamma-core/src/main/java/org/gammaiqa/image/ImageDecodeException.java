package org.gammaiqa.image;

import java.io.IOException;

/** An image that cannot be decoded or is refused (too large, unsupported format); the message says why. */
public class ImageDecodeException extends IOException {
    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Whole writes of buffers to a file channel. */
final class FileBytes {
    private FileBytes() {
    }

    /** Writes all of {@code b} at the channel's position. */
    static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}

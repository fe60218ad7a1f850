package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Whole reads and writes of byte ranges of a file channel. */
final class FileBytes {
    private FileBytes() {
    }

    /** {@code length} bytes at {@code position}, little-endian; an error naming the range if the file is shorter. */
    static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        long size = channel.size();
        if (position < 0 || length < 0 || position + length > size) {
            throw new IOException("bytes " + position + ".." + (position + length) + " lie outside the " + size + "-byte file");
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw new IOException("file ends early at byte " + (position + b.position()));
            }
        }
        return b.flip();
    }

    /** Writes all of {@code b} at the channel's position. */
    static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}

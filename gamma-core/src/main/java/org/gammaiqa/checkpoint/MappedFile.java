package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * A read-only file mapped in a few windows, never one map per tensor: window k covers bytes [k GiB, k GiB + 2 GiB),
 * so every range of at most {@link CheckpointLimits#MAX_TENSOR_BYTES} lies inside one window. Windows are mapped on
 * first use; a 600 MB checkpoint needs one.
 */
final class MappedFile {
    private static final long STEP = 1L << 30;
    private static final long WINDOW = 2 * STEP - 1;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer[] windows;

    MappedFile(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.windows = new ByteBuffer[(int) (size / STEP) + 1];
    }

    long size() {
        return size;
    }

    /** Bytes [position, position + length) of the file, little-endian; refused if they lie outside it. */
    ByteBuffer slice(long position, long length, String what) throws IOException {
        if (position < 0 || length < 0 || length > size || position > size - length) {
            throw CheckpointFormatException.truncated(what + " lies at bytes " + position + " (+" + length + ") outside the "
                    + size + "-byte file");
        }
        if (length > CheckpointLimits.MAX_TENSOR_BYTES) {
            throw CheckpointFormatException.malformed(what + " has " + length + " bytes, over the "
                    + (CheckpointLimits.MAX_TENSOR_BYTES >> 20) + " MiB one tensor may have");
        }
        int k = (int) (position / STEP);
        if (windows[k] == null) {
            windows[k] = channel.map(FileChannel.MapMode.READ_ONLY, k * STEP, Math.min(WINDOW, size - k * STEP));
        }
        return windows[k].slice((int) (position - k * STEP), (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }
}

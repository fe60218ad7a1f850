package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Writes a {@link StateDict} as a safetensors file, atomically; {@link CheckpointReader} reads it back bit for bit. */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    /** Writes {@code stateDict} to {@code file} in the safetensors format, keys in sorted order. */
    public static void write(Path file, StateDict stateDict) throws IOException {
        byte[] header = SafetensorsFormat.header(stateDict.asMap());
        AtomicFile.write(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            FileBytes.writeFully(out, length);
            FileBytes.writeFully(out, ByteBuffer.wrap(header));
            for (StoredTensor t : stateDict.asMap().values()) {
                FileBytes.writeFully(out, t.data());
            }
        });
    }
}

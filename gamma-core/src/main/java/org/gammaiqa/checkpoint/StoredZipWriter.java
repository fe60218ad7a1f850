package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a zip of stored (uncompressed) entries whose data start on 64-byte boundaries, as torch.save does,
 * switching to zip64 records where sizes, offsets or the entry count need them.
 */
final class StoredZipWriter {
    private static final int ALIGNMENT = 64;
    private static final int PADDING_EXTRA = 0x4246; // "FB", torch's padding field
    private static final int VERSION = 20;
    private static final int VERSION_ZIP64 = 45;

    private record Written(byte[] name, long crc, long size, long offset) { }

    private final FileChannel out;
    private final List<Written> written = new ArrayList<>();

    StoredZipWriter(FileChannel out) {
        this.out = out;
    }

    void add(String name, ByteBuffer data) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(data.duplicate());
        long size = data.remaining();
        long offset = out.position();
        boolean zip64 = size >= ZipArchive.MAX32;
        int zip64Length = zip64 ? 4 + 16 : 0;
        long unpadded = offset + 30 + nameBytes.length + zip64Length + 4;
        int padding = (int) ((ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT);
        ByteBuffer h = le(30 + nameBytes.length + zip64Length + 4 + padding);
        h.putInt(ZipArchive.LOCAL_HEADER).putShort((short) (zip64 ? VERSION_ZIP64 : VERSION)).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt((int) crc.getValue())
                .putInt((int) Math.min(size, ZipArchive.MAX32)).putInt((int) Math.min(size, ZipArchive.MAX32))
                .putShort((short) nameBytes.length).putShort((short) (zip64Length + 4 + padding)).put(nameBytes);
        if (zip64) {
            h.putShort((short) ZipArchive.ZIP64_EXTRA).putShort((short) 16).putLong(size).putLong(size);
        }
        h.putShort((short) PADDING_EXTRA).putShort((short) padding).position(h.limit());
        FileBytes.writeFully(out, h.flip());
        FileBytes.writeFully(out, data.duplicate());
        written.add(new Written(nameBytes, crc.getValue(), size, offset));
    }

    /** Writes the central directory and end records. */
    void finish() throws IOException {
        long cdOffset = out.position();
        for (Written w : written) {
            boolean bigSize = w.size() >= ZipArchive.MAX32;
            boolean bigOffset = w.offset() >= ZipArchive.MAX32;
            int zip64Length = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
            int extraLength = zip64Length == 0 ? 0 : 4 + zip64Length;
            ByteBuffer c = le(46 + w.name().length + extraLength);
            c.putInt(ZipArchive.CENTRAL_HEADER).putShort((short) VERSION_ZIP64)
                    .putShort((short) (extraLength > 0 ? VERSION_ZIP64 : VERSION)).putShort((short) 0).putShort((short) 0)
                    .putInt(0).putInt((int) w.crc())
                    .putInt((int) Math.min(w.size(), ZipArchive.MAX32)).putInt((int) Math.min(w.size(), ZipArchive.MAX32))
                    .putShort((short) w.name().length).putShort((short) extraLength).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt((int) Math.min(w.offset(), ZipArchive.MAX32)).put(w.name());
            if (extraLength > 0) {
                c.putShort((short) ZipArchive.ZIP64_EXTRA).putShort((short) zip64Length);
                if (bigSize) {
                    c.putLong(w.size()).putLong(w.size());
                }
                if (bigOffset) {
                    c.putLong(w.offset());
                }
            }
            FileBytes.writeFully(out, c.flip());
        }
        long cdEnd = out.position();
        long cdSize = cdEnd - cdOffset;
        boolean zip64 = written.size() >= 0xffff || cdOffset >= ZipArchive.MAX32 || cdSize >= ZipArchive.MAX32;
        if (zip64) {
            ByteBuffer e = le(56 + 20);
            e.putInt(ZipArchive.END64).putLong(44).putShort((short) VERSION_ZIP64).putShort((short) VERSION_ZIP64)
                    .putInt(0).putInt(0).putLong(written.size()).putLong(written.size()).putLong(cdSize).putLong(cdOffset);
            e.putInt(ZipArchive.END64_LOCATOR).putInt(0).putLong(cdEnd).putInt(1);
            FileBytes.writeFully(out, e.flip());
        }
        ByteBuffer end = le(22);
        short count = (short) Math.min(written.size(), 0xffff);
        end.putInt(ZipArchive.END).putShort((short) 0).putShort((short) 0).putShort(count).putShort(count)
                .putInt((int) Math.min(cdSize, ZipArchive.MAX32)).putInt((int) Math.min(cdOffset, ZipArchive.MAX32))
                .putShort((short) 0);
        FileBytes.writeFully(out, end.flip());
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}

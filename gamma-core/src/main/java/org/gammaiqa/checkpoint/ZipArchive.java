package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip file, read from its central directory (zip64 included), whose stored entries are
 * memory-mapped in place and whose deflated ones are inflated. java.util.zip cannot give entry offsets.
 */
final class ZipArchive {
    static final int LOCAL_HEADER = 0x04034b50;
    static final int CENTRAL_HEADER = 0x02014b50;
    static final int END = 0x06054b50;
    static final int END64 = 0x06064b50;
    static final int END64_LOCATOR = 0x07064b50;
    static final int ZIP64_EXTRA = 0x0001;
    static final long MAX32 = 0xffffffffL;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;

    /** One entry as the central directory describes it. */
    record Entry(String name, int method, long compressedSize, long size, long localHeaderOffset) { }

    private final FileChannel channel;
    private final long fileSize;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** Reads the central directory; errors name what is missing or out of range. */
    ZipArchive(FileChannel channel) throws IOException {
        this.channel = channel;
        this.fileSize = channel.size();
        int tailLength = (int) Math.min(fileSize, 22 + 0xffff + 20);
        ByteBuffer tail = read(fileSize - tailLength, tailLength);
        int end = -1;
        for (int i = tailLength - 22; i >= 0; i--) {
            if (tail.getInt(i) == END) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new IOException("zip has no end-of-central-directory record");
        }
        long count = tail.getShort(end + 10) & 0xffff;
        long cdSize = tail.getInt(end + 12) & MAX32;
        long cdOffset = tail.getInt(end + 16) & MAX32;
        if (end >= 20 && tail.getInt(end - 20) == END64_LOCATOR) {
            ByteBuffer end64 = read(tail.getLong(end - 20 + 8), 56);
            if (end64.getInt(0) != END64) {
                throw new IOException("zip64 end-of-central-directory record is missing");
            }
            count = end64.getLong(32);
            cdSize = end64.getLong(40);
            cdOffset = end64.getLong(48);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > fileSize || cdSize > Integer.MAX_VALUE) {
            throw new IOException("zip central directory at " + cdOffset + " (+" + cdSize
                    + " bytes) lies outside the " + fileSize + "-byte file");
        }
        ByteBuffer cd = read(cdOffset, (int) cdSize);
        for (long i = 0; i < count; i++) {
            Entry e = parseCentralHeader(cd);
            entries.put(e.name(), e);
        }
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** The entry's bytes: a read-only map of the file for a stored entry, inflated for a deflated one. */
    ByteBuffer data(Entry e) throws IOException {
        ByteBuffer local = read(e.localHeaderOffset(), 30);
        if (local.getInt(0) != LOCAL_HEADER) {
            throw new IOException("zip entry '" + e.name() + "' has no local header at " + e.localHeaderOffset());
        }
        long start = e.localHeaderOffset() + 30 + (local.getShort(26) & 0xffff) + (local.getShort(28) & 0xffff);
        if (start + e.compressedSize() > fileSize) {
            throw new IOException("zip entry '" + e.name() + "' ends at byte " + (start + e.compressedSize())
                    + " of a " + fileSize + "-byte file");
        }
        if (e.size() > Integer.MAX_VALUE || e.compressedSize() > Integer.MAX_VALUE) {
            throw new IOException("zip entry '" + e.name() + "' has " + e.size() + " bytes, over the 2 GiB a buffer holds");
        }
        return switch (e.method()) {
            case STORED -> {
                if (e.size() != e.compressedSize()) {
                    throw new IOException("stored zip entry '" + e.name() + "' has different sizes");
                }
                yield channel.map(FileChannel.MapMode.READ_ONLY, start, e.size()).order(ByteOrder.LITTLE_ENDIAN);
            }
            case DEFLATED -> inflate(e, read(start, (int) e.compressedSize()));
            default -> throw new IOException("zip entry '" + e.name() + "' uses compression method " + e.method()
                    + ", only stored (0) and deflated (8) are supported");
        };
    }

    private Entry parseCentralHeader(ByteBuffer cd) throws IOException {
        if (cd.remaining() < 46 || cd.getInt(cd.position()) != CENTRAL_HEADER) {
            throw new IOException("zip central directory is corrupt at offset " + cd.position());
        }
        int p = cd.position();
        int method = cd.getShort(p + 10) & 0xffff;
        long compressed = cd.getInt(p + 20) & MAX32;
        long size = cd.getInt(p + 24) & MAX32;
        int nameLength = cd.getShort(p + 28) & 0xffff;
        int extraLength = cd.getShort(p + 30) & 0xffff;
        int commentLength = cd.getShort(p + 32) & 0xffff;
        long offset = cd.getInt(p + 42) & MAX32;
        if (cd.remaining() < 46 + nameLength + extraLength + commentLength) {
            throw new IOException("zip central directory is cut inside an entry at offset " + p);
        }
        byte[] name = new byte[nameLength];
        cd.get(p + 46, name);
        int extra = p + 46 + nameLength;
        for (int q = extra; q + 4 <= extra + extraLength; q += 4 + (cd.getShort(q + 2) & 0xffff)) {
            if ((cd.getShort(q) & 0xffff) == ZIP64_EXTRA) {
                int r = q + 4;
                if (size == MAX32) { size = cd.getLong(r); r += 8; }
                if (compressed == MAX32) { compressed = cd.getLong(r); r += 8; }
                if (offset == MAX32) { offset = cd.getLong(r); }
            }
        }
        cd.position(p + 46 + nameLength + extraLength + commentLength);
        return new Entry(new String(name, StandardCharsets.UTF_8), method, compressed, size, offset);
    }

    private static ByteBuffer inflate(Entry e, ByteBuffer compressed) throws IOException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed);
            ByteBuffer out = ByteBuffer.allocate((int) e.size()).order(ByteOrder.LITTLE_ENDIAN);
            while (out.hasRemaining() && !inflater.finished()) {
                if (inflater.inflate(out) == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
            }
            if (out.hasRemaining()) {
                throw new IOException("deflated zip entry '" + e.name() + "' inflates to fewer than " + e.size() + " bytes");
            }
            return out.flip();
        } catch (DataFormatException ex) {
            throw new IOException("deflated zip entry '" + e.name() + "' is corrupt: " + ex.getMessage(), ex);
        } finally {
            inflater.end();
        }
    }

    private ByteBuffer read(long position, int length) throws IOException {
        return FileBytes.read(channel, position, length);
    }
}

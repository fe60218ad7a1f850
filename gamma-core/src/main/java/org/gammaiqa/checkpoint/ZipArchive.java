package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip file, read from its central directory (zip64 included), whose stored entries are
 * mapped in place and whose deflated ones are inflated within a {@link HeapBudget}. java.util.zip cannot give
 * entry offsets. Refused: more than {@link CheckpointLimits#MAX_ZIP_ENTRIES} entries, two entries of one name,
 * encrypted entries, and names that leave the archive's folder (absolute, {@code ..}, backslashes, NUL).
 */
final class ZipArchive {
    static final int LOCAL_HEADER = 0x04034b50;
    static final int CENTRAL_HEADER = 0x02014b50;
    static final int END = 0x06054b50;
    static final int END64 = 0x06064b50;
    static final int END64_LOCATOR = 0x07064b50;
    static final int ZIP64_EXTRA = 0x0001;
    static final long MAX32 = 0xffffffffL;
    static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final int ENCRYPTED = 1;

    /** One entry as the central directory describes it. */
    record Entry(String name, int method, long compressedSize, long size, long localHeaderOffset) { }

    private final MappedFile file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** Reads the central directory; errors name what is missing, out of range or refused. */
    ZipArchive(MappedFile file) throws IOException {
        this.file = file;
        long fileSize = file.size();
        int tailLength = (int) Math.min(fileSize, 22 + 0xffff + 20);
        ByteBuffer tail = file.slice(fileSize - tailLength, tailLength, "the zip's end records");
        int end = -1;
        for (int i = tailLength - 22; i >= 0; i--) {
            if (tail.getInt(i) == END) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw CheckpointFormatException.truncated("zip has no end-of-central-directory record");
        }
        long count = tail.getShort(end + 10) & 0xffff;
        long cdSize = tail.getInt(end + 12) & MAX32;
        long cdOffset = tail.getInt(end + 16) & MAX32;
        if (end >= 20 && tail.getInt(end - 20) == END64_LOCATOR) {
            ByteBuffer end64 = file.slice(tail.getLong(end - 20 + 8), 56, "the zip64 end record");
            if (end64.getInt(0) != END64) {
                throw CheckpointFormatException.malformed("zip64 end-of-central-directory record is missing");
            }
            count = end64.getLong(32);
            cdSize = end64.getLong(40);
            cdOffset = end64.getLong(48);
        }
        if (count < 0 || count > CheckpointLimits.MAX_ZIP_ENTRIES) {
            throw CheckpointFormatException.malformed("zip declares " + Long.toUnsignedString(count) + " entries, over the "
                    + CheckpointLimits.MAX_ZIP_ENTRIES + " a checkpoint may have");
        }
        ByteBuffer cd = file.slice(cdOffset, cdSize, "the zip's central directory");
        for (long i = 0; i < count; i++) {
            Entry e = parseCentralHeader(cd);
            if (entries.putIfAbsent(e.name(), e) != null) {
                throw CheckpointFormatException.malformed("zip holds two entries named '" + e.name()
                        + "'; which one counts is ambiguous");
            }
        }
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /**
     * The entry's bytes: mapped from the file for a stored entry, inflated for a deflated one (taken from
     * {@code budget} first); refused if the entry declares more than {@code maxBytes}.
     */
    ByteBuffer data(Entry e, long maxBytes, HeapBudget budget) throws IOException {
        ByteBuffer local = file.slice(e.localHeaderOffset(), 30, "the local header of zip entry '" + e.name() + "'");
        if (local.getInt(0) != LOCAL_HEADER) {
            throw CheckpointFormatException.malformed("zip entry '" + e.name() + "' has no local header at byte "
                    + e.localHeaderOffset());
        }
        if ((local.getShort(6) & ENCRYPTED) != 0) {
            throw CheckpointFormatException.malformed("zip entry '" + e.name() + "' is encrypted; checkpoints never are");
        }
        int nameLength = local.getShort(26) & 0xffff;
        ByteBuffer name = file.slice(e.localHeaderOffset() + 30, nameLength, "the name of zip entry '" + e.name() + "'");
        if (!name.equals(ByteBuffer.wrap(e.name().getBytes(StandardCharsets.UTF_8)))) {
            throw CheckpointFormatException.malformed("zip entry '" + e.name() + "' has a local header of another name");
        }
        long start = e.localHeaderOffset() + 30 + nameLength + (local.getShort(28) & 0xffff);
        if (e.size() > maxBytes) {
            throw CheckpointFormatException.malformed("zip entry '" + e.name() + "' declares " + e.size()
                    + " bytes, more than the " + maxBytes + " it may hold");
        }
        ByteBuffer stored = file.slice(start, e.compressedSize(), "zip entry '" + e.name() + "'");
        return switch (e.method()) {
            case STORED -> {
                if (e.size() != e.compressedSize()) {
                    throw CheckpointFormatException.malformed("stored zip entry '" + e.name() + "' has different sizes");
                }
                yield stored;
            }
            case DEFLATED -> {
                budget.take(e.size(), "deflated zip entry '" + e.name() + "'");
                yield inflate(e, stored);
            }
            default -> throw CheckpointFormatException.malformed("zip entry '" + e.name() + "' uses compression method "
                    + e.method() + ", only stored (0) and deflated (8) are supported");
        };
    }

    private Entry parseCentralHeader(ByteBuffer cd) throws IOException {
        if (cd.remaining() < 46 || cd.getInt(cd.position()) != CENTRAL_HEADER) {
            throw CheckpointFormatException.malformed("zip central directory is corrupt at offset " + cd.position());
        }
        int p = cd.position();
        int flags = cd.getShort(p + 8) & 0xffff;
        int method = cd.getShort(p + 10) & 0xffff;
        long compressed = cd.getInt(p + 20) & MAX32;
        long size = cd.getInt(p + 24) & MAX32;
        int nameLength = cd.getShort(p + 28) & 0xffff;
        int extraLength = cd.getShort(p + 30) & 0xffff;
        int commentLength = cd.getShort(p + 32) & 0xffff;
        long offset = cd.getInt(p + 42) & MAX32;
        if (cd.remaining() < 46 + nameLength + extraLength + commentLength) {
            throw CheckpointFormatException.malformed("zip central directory is cut inside an entry at offset " + p);
        }
        byte[] nameBytes = new byte[nameLength];
        cd.get(p + 46, nameBytes);
        String name = name(nameBytes);
        int extra = p + 46 + nameLength;
        for (int q = extra; q + 4 <= extra + extraLength; q += 4 + (cd.getShort(q + 2) & 0xffff)) {
            if ((cd.getShort(q) & 0xffff) == ZIP64_EXTRA) {
                int r = q + 4;
                int dataEnd = Math.min(r + (cd.getShort(q + 2) & 0xffff), extra + extraLength);
                if (size == MAX32 && r + 8 <= dataEnd) { size = cd.getLong(r); r += 8; }
                if (compressed == MAX32 && r + 8 <= dataEnd) { compressed = cd.getLong(r); r += 8; }
                if (offset == MAX32 && r + 8 <= dataEnd) { offset = cd.getLong(r); }
            }
        }
        if ((flags & ENCRYPTED) != 0) {
            throw CheckpointFormatException.malformed("zip entry '" + name + "' is encrypted; checkpoints never are");
        }
        cd.position(p + 46 + nameLength + extraLength + commentLength);
        return new Entry(name, method, compressed, size, offset);
    }

    /** The entry name, refused unless it is UTF-8 and stays inside the archive's folder. */
    private static String name(byte[] bytes) throws IOException {
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw CheckpointFormatException.malformed("zip holds an entry whose name is not UTF-8");
        }
        boolean escapes = name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
                || name.matches("^[A-Za-z]:.*");
        for (String part : name.split("/", -1)) {
            escapes |= part.equals("..");
        }
        if (escapes) {
            throw CheckpointFormatException.malformed("zip entry name '" + name + "' points outside the archive's folder");
        }
        return name;
    }

    /** Inflates exactly {@code e.size()} bytes; an entry that inflates to fewer or more is refused. */
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
                throw CheckpointFormatException.truncated("deflated zip entry '" + e.name() + "' inflates to fewer than its "
                        + e.size() + " declared bytes");
            }
            if (!inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                throw CheckpointFormatException.malformed("deflated zip entry '" + e.name() + "' inflates to more than its "
                        + e.size() + " declared bytes");
            }
            return out.flip();
        } catch (DataFormatException ex) {
            throw CheckpointFormatException.malformed("deflated zip entry '" + e.name() + "' is not valid deflate data");
        } finally {
            inflater.end();
        }
    }
}

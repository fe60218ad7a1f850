package org.gammaiqa.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an interrupted {@code gamma score --out FILE} run already wrote, for {@code --resume}: the
 * output file is first repaired (a line torn by a kill, i.e. bytes after the last newline, is cut
 * off), then its rows are read back so those paths are skipped. Holds the rows, one short record per
 * image, not the images.
 *
 * @param rows        the complete rows, in file order
 * @param tornBytes   bytes of a torn last line that were cut off (0 when the file ended cleanly)
 */
record PreviousRun(List<ResultWriter.Row> rows, long tornBytes) {
    static PreviousRun none() {
        return new PreviousRun(List.of(), 0);
    }

    /** Repairs {@code out} in place and reads it back; an absent or empty file is a run that has not started. */
    static PreviousRun read(Path out, String format) throws IOException {
        if (!Files.exists(out) || Files.size(out) == 0) {
            return none();
        }
        long torn = cutTornLine(out);
        List<ResultWriter.Row> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            ResultWriter.read(format, in, out.toString(), rows::add);
        }
        return new PreviousRun(List.copyOf(rows), torn);
    }

    Set<String> paths() {
        Set<String> s = new HashSet<>();
        rows.forEach(r -> s.add(r.path()));
        return s;
    }

    /** Truncates the file after its last newline; returns how many bytes were cut. */
    private static long cutTornLine(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            for (long end = size; end > 0; ) {
                long start = Math.max(0, end - buf.capacity());
                buf.clear().limit((int) (end - start));
                ch.read(buf, start);
                for (int i = (int) (end - start) - 1; i >= 0; i--) {
                    if (buf.get(i) == '\n') {
                        long keep = start + i + 1;
                        ch.truncate(keep);
                        return size - keep;
                    }
                }
                end = start;
            }
            ch.truncate(0);
            return size;
        }
    }
}

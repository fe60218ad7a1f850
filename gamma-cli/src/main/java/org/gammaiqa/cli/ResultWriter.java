package org.gammaiqa.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import org.gammaiqa.scoring.ScoreResult;

/** Where `gamma score` writes one line per image, as results come, and how such a file is read back. */
interface ResultWriter extends Closeable {
    void write(String path, ScoreResult result) throws IOException;

    void writeError(String path, String scene, String error) throws IOException;

    /** One line of an output file read back: the score is NaN where the image failed with {@code error}. */
    record Row(String path, double score, String error) {
        boolean failed() {
            return error != null;
        }
    }

    /** Receives rows read back from an output file. */
    @FunctionalInterface
    interface RowSink {
        void accept(Row row) throws IOException;
    }

    /**
     * @param continuing true when {@code out} already holds results of this format (a resumed run): no second header
     * @param model      the model's name for each result's {@code model} field (the demo model), or null for none
     */
    static ResultWriter of(String format, Appendable out, boolean continuing, String model) {
        return switch (format) {
            case "jsonl" -> new JsonlWriter(out, model);
            case "csv" -> new CsvWriter(out, continuing, model);
            default -> throw new IllegalArgumentException("unknown format '" + format + "', expected csv or jsonl");
        };
    }

    /** Reads back every complete row that a writer of {@code format} wrote; {@code source} names the file in errors. */
    static void read(String format, Reader in, String source, RowSink sink) throws IOException {
        switch (format) {
            case "jsonl" -> JsonlWriter.read(in, source, sink);
            case "csv" -> CsvWriter.read(in, source, sink);
            default -> throw new IllegalArgumentException("unknown format '" + format + "', expected csv or jsonl");
        }
    }
}

package org.gammaiqa.cli;

import java.io.Closeable;
import java.io.IOException;
import org.gammaiqa.scoring.ScoreResult;

/** Where `gamma score` writes one line per image, as results come. */
interface ResultWriter extends Closeable {
    void write(String path, ScoreResult result) throws IOException;

    void writeError(String path, String scene, String error) throws IOException;

    static ResultWriter of(String format, Appendable out) {
        return switch (format) {
            case "jsonl" -> new JsonlWriter(out);
            case "csv" -> new CsvWriter(out);
            default -> throw new IllegalArgumentException("unknown format '" + format + "', expected csv or jsonl");
        };
    }
}

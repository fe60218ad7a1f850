package org.gammaiqa.cli;

import java.io.Flushable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.gammaiqa.scoring.ScoreResult;

/**
 * CSV with a header: path, score, scene, the five level probabilities, crops, size, upscaled, model (the built-in
 * demo model's name, else empty), error (RFC 4180 quoting).
 */
final class CsvWriter implements ResultWriter {
    static final String HEADER = "path,score,scene,p_bad,p_poor,p_fair,p_good,p_perfect,crops,width,height,upscaled,model,error";
    private static final int FIELDS = 14;
    private final Appendable out;
    private final String model;
    private boolean headerWritten;

    /** @param model the model's name for the {@code model} column, or null to leave it empty */
    CsvWriter(Appendable out, boolean continuing, String model) {
        this.out = out;
        this.model = model == null ? "" : quote(model);
        this.headerWritten = continuing;
    }

    @Override
    public void write(String path, ScoreResult r) throws IOException {
        StringBuilder s = new StringBuilder(quote(path)).append(',').append(r.score()).append(',').append(quote(r.prompts()));
        for (double p : r.levels()) {
            s.append(',').append(p);
        }
        s.append(',').append(r.crops()).append(',').append(r.width()).append(',').append(r.height())
                .append(',').append(r.upscaled()).append(',').append(model).append(',');
        line(s.toString());
    }

    @Override
    public void writeError(String path, String scene, String error) throws IOException {
        line(quote(path) + ",," + quote(scene) + ",,,,,,,,,," + model + "," + quote(error));
    }

    private void line(String s) throws IOException {
        if (!headerWritten) {
            out.append(HEADER).append('\n');
            headerWritten = true;
        }
        out.append(s).append('\n');
        if (out instanceof Flushable f) {
            f.flush();
        }
    }

    static String quote(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    /** Reads records (RFC 4180: quoted fields may hold commas, quotes and line breaks); an unterminated last record is dropped. */
    static void read(java.io.Reader in, String source, RowSink sink) throws IOException {
        java.io.BufferedReader r = new java.io.BufferedReader(in);
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean header = true;
        int record = 0;
        for (int c; (c = r.read()) >= 0; ) {
            if (quoted) {
                if (c == '"') {
                    r.mark(1);
                    if (r.read() == '"') {
                        field.append('"');
                    } else {
                        r.reset();
                        quoted = false;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                record++;
                if (header) {
                    if (!String.join(",", fields).equals(HEADER)) {
                        throw new IOException(source + " does not start with the header of gamma score --format csv: " + HEADER);
                    }
                    header = false;
                } else {
                    if (fields.size() != FIELDS) {
                        throw new IOException(source + " record " + record + " has " + fields.size() + " fields, expected " + FIELDS);
                    }
                    String error = fields.get(FIELDS - 1);
                    sink.accept(new Row(fields.get(0), fields.get(1).isEmpty() ? Double.NaN : Double.parseDouble(fields.get(1)),
                            error.isEmpty() ? null : error));
                }
                fields.clear();
            } else if (c != '\r') {
                field.append((char) c);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (out instanceof java.io.Closeable c) {
            c.close();
        }
    }
}

package org.gammaiqa.cli;

import java.io.Flushable;
import java.io.IOException;
import org.gammaiqa.scoring.ScoreResult;

/** CSV with a header: path, score, scene, the five level probabilities, crops, size, upscaled, error (RFC 4180 quoting). */
final class CsvWriter implements ResultWriter {
    static final String HEADER = "path,score,scene,p_bad,p_poor,p_fair,p_good,p_perfect,crops,width,height,upscaled,error";
    private final Appendable out;
    private boolean headerWritten;

    CsvWriter(Appendable out) {
        this.out = out;
    }

    @Override
    public void write(String path, ScoreResult r) throws IOException {
        StringBuilder s = new StringBuilder(quote(path)).append(',').append(r.score()).append(',').append(quote(r.prompts()));
        for (double p : r.levels()) {
            s.append(',').append(p);
        }
        s.append(',').append(r.crops()).append(',').append(r.width()).append(',').append(r.height())
                .append(',').append(r.upscaled()).append(',');
        line(s.toString());
    }

    @Override
    public void writeError(String path, String scene, String error) throws IOException {
        line(quote(path) + ",," + quote(scene) + ",,,,,,,,,," + quote(error));
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

    @Override
    public void close() throws IOException {
        if (out instanceof java.io.Closeable c) {
            c.close();
        }
    }
}

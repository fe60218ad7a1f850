package org.gammaiqa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Flushable;
import java.io.IOException;
import org.gammaiqa.scoring.ScoreResult;

/** JSON Lines: one object per image with path, score (full double precision), scene, levels, or error. */
final class JsonlWriter implements ResultWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Appendable out;

    JsonlWriter(Appendable out) {
        this.out = out;
    }

    @Override
    public void write(String path, ScoreResult r) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("path", path);
        o.put("score", r.score());
        o.put("scene", r.prompts());
        ArrayNode levels = o.putArray("levels");
        r.levels().forEach(levels::add);
        o.put("crops", r.crops());
        o.put("width", r.width());
        o.put("height", r.height());
        if (r.upscaled()) {
            o.put("upscaled", true);
        }
        line(o);
    }

    @Override
    public void writeError(String path, String scene, String error) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("path", path);
        o.put("scene", scene);
        o.put("error", error);
        line(o);
    }

    private void line(ObjectNode o) throws IOException {
        out.append(JSON.writeValueAsString(o)).append('\n');
        if (out instanceof Flushable f) {
            f.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (out instanceof java.io.Closeable c) {
            c.close();
        }
    }
}

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
    private final String model;

    /** @param model the model's name for a {@code model} field of each line, or null for none */
    JsonlWriter(Appendable out, String model) {
        this.out = out;
        this.model = model;
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
        if (model != null) {
            o.put("model", model);
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

    static void read(java.io.Reader in, String source, RowSink sink) throws IOException {
        java.io.BufferedReader lines = new java.io.BufferedReader(in);
        int n = 0;
        for (String line; (line = lines.readLine()) != null; ) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            com.fasterxml.jackson.databind.JsonNode o;
            try {
                o = JSON.readTree(line);
            } catch (IOException e) {
                throw new IOException(source + " line " + n + " is not JSON (" + e.getMessage()
                        + "); is it a gamma score --format jsonl output?", e);
            }
            if (o == null || !o.hasNonNull("path")) {
                throw new IOException(source + " line " + n + " has no \"path\"; is it a gamma score --format jsonl output?");
            }
            sink.accept(new Row(o.get("path").asText(), o.has("score") ? o.get("score").asDouble() : Double.NaN,
                    o.has("error") ? o.get("error").asText() : null));
        }
    }

    @Override
    public void close() throws IOException {
        if (out instanceof java.io.Closeable c) {
            c.close();
        }
    }
}

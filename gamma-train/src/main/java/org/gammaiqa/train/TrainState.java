package org.gammaiqa.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a run stands, saved as {@code state.json} beside {@code latest.pth} and {@code optimizer.safetensors}:
 * the number of steps done, the epoch and the next batch in it, the best key-metric value so far. Together with
 * the config's seed this fixes the data order and every augmentation draw of the rest of the run.
 */
public record TrainState(long step, int epoch, int nextBatch, double bestMetric, long bestStep, long seed) {
    static final String FILE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    void write(Path dir) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("step", step).put("epoch", epoch).put("next_batch", nextBatch)
                .put("best_step", bestStep).put("seed", seed);
        if (Double.isNaN(bestMetric)) {
            o.putNull("best_metric");  // no validation yet
        } else {
            o.put("best_metric", bestMetric);
        }
        Path temp = Files.createTempFile(dir, ".state", ".tmp");
        Files.writeString(temp, o.toPrettyString());
        Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static TrainState read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("cannot resume from " + dir + ": it has no " + FILE
                    + "; pass the output folder of an earlier `gamma train` run");
        }
        JsonNode o = JSON.readTree(file.toFile());
        return new TrainState(o.get("step").asLong(), o.get("epoch").asInt(), o.get("next_batch").asInt(),
                o.get("best_metric").isNull() ? Double.NaN : o.get("best_metric").asDouble(), o.get("best_step").asLong(), o.get("seed").asLong());
    }
}

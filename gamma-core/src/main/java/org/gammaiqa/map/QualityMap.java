package org.gammaiqa.map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.gammaiqa.scoring.ModelSource;
import org.gammaiqa.scoring.ScoreResult;

/**
 * The local quality of one image: the score of every window of its grid, row-major, with the image's usual score.
 *
 * @param width  width of the image, before any upscaling
 * @param height height of the image, before any upscaling
 * @param scene  name of the prompt set (the scene, or a custom file)
 * @param window side of the network's input window, 224
 * @param stride step between windows, in pixels of the scored image
 * @param cells  one per window, row-major: its box in the image's pixels and its score
 * @param whole  the image scored as {@code gamma score} does (10 random crops, seed 0, unless asked otherwise)
 */
public record QualityMap(int width, int height, String scene, int window, int stride, int rows, int cols,
                         List<Cell> cells, ScoreResult whole) {
    /** One window: its box in the image's own pixels and its score. */
    public record Cell(int x, int y, int w, int h, double score) {}

    /** Checks that there is one cell per grid position; keeps an unmodifiable copy of the cells. */
    public QualityMap {
        cells = List.copyOf(cells);
        if (cells.size() != rows * cols) {
            throw new IllegalArgumentException("a " + rows + "×" + cols + " grid needs " + rows * cols + " cells, got " + cells.size());
        }
    }

    /** The cell at row {@code r}, column {@code c}. */
    public Cell cell(int r, int c) {
        return cells.get(r * cols + c);
    }

    /** The lowest window score. */
    public double min() {
        return cells.stream().mapToDouble(Cell::score).min().orElseThrow();
    }

    /** The highest window score. */
    public double max() {
        return cells.stream().mapToDouble(Cell::score).max().orElseThrow();
    }

    /**
     * The JSON form that {@code gamma map} writes and {@code /v1/map} answers: name, width, height, scene, window,
     * stride, score, cells [{x, y, w, h, score}], rows, cols, min, max, model {name, sha256}, elapsed_ms.
     */
    public ObjectNode toJson(String name, ModelSource model, double elapsedMs) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("width", width);
        o.put("height", height);
        o.put("scene", scene);
        o.put("window", window);
        o.put("stride", stride);
        o.put("score", whole.score());
        ArrayNode list = o.putArray("cells");
        for (Cell c : cells) {
            list.addObject().put("x", c.x()).put("y", c.y()).put("w", c.w()).put("h", c.h()).put("score", c.score());
        }
        o.put("rows", rows);
        o.put("cols", cols);
        o.put("min", min());
        o.put("max", max());
        o.putObject("model").put("name", model.name()).put("sha256", model.sha256());
        o.put("elapsed_ms", elapsedMs);
        return o;
    }
}

package org.gammaiqa.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The five level prompts the image is scored against, ordered bad → perfect; prompt {@code i} carries
 * {@code score_level[i]} (the paper's Scene-based Differential Prompts).
 */
public record PromptSet(String name, List<String> prompts) {
    /** The quality levels, in the order of the prompts and of {@code score_level}. */
    public static final List<String> LEVELS = List.of("bad", "poor", "fair", "good", "perfect");

    /** Checks that the set is named and holds prompts; keeps an unmodifiable copy of them. */
    public PromptSet {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("prompt set name is " + (name == null ? "null" : "blank")
                    + "; expected a non-blank name such as a scene or file name");
        }
        if (prompts == null || prompts.size() != LEVELS.size() || prompts.stream().anyMatch(p -> p == null || p.isBlank())) {
            throw new IllegalArgumentException("prompt set '" + name + "' has prompts " + prompts
                    + "; expected exactly " + LEVELS.size() + " non-blank prompts, for the levels " + LEVELS + " in that order");
        }
        prompts = List.copyOf(prompts);
    }

    /**
     * Reads five prompts, one per line (UTF-8, bad first); trailing blank lines and a leading byte-order mark
     * are ignored. The set is named after the file.
     *
     * @throws IOException if the file cannot be read or does not hold exactly five non-blank lines
     */
    public static PromptSet fromFile(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1));
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        int blank = indexOfBlank(lines);
        if (lines.size() != LEVELS.size() || blank >= 0) {
            throw new IOException(file + " has " + lines.size() + " non-trailing lines"
                    + (blank >= 0 ? " (line " + (blank + 1) + " is blank)" : "")
                    + "; expected exactly " + LEVELS.size() + " non-blank lines, one prompt per level " + LEVELS
                    + ", e.g. \"bad image\" … \"perfect image\"");
        }
        return new PromptSet(file.getFileName().toString(), lines);
    }

    private static int indexOfBlank(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                return i;
            }
        }
        return -1;
    }
}

package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `gamma score` and `gamma inspect` as a user runs them, on the committed micro fixture. */
class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {}

    static Run gamma(String... args) {
        CommandLine cli = GammaCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Path model() {
        return TestAssets.fixture("micro-fp16").resolve("gamma.pth");
    }

    static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void jsonlScoresOfEverySceneMatchTheReference(@TempDir Path tmp) throws Exception {
        JsonNode expected = JSON.readTree(TestAssets.fixture("micro-fp16").resolve("scores.json").toFile());
        double worst = 0;
        for (String scene : List.of("generic", "natural", "aigc", "underwater", "face", "aesthetic")) {
            Path out = tmp.resolve(scene + ".jsonl");
            String[] base = {"score", "--model", model().toString(), "--vocab", TestAssets.vocabulary().toString(),
                    "--format", "jsonl", "--out", out.toString(), TestAssets.fixtures().resolve("images").toString()};
            List<String> args = new ArrayList<>(Arrays.asList(base));
            if (!scene.equals("generic")) {
                args.add(1, "--scene=" + scene);
            }
            Run run = gamma(args.toArray(String[]::new));
            assertThat(run.exit()).as(run.err()).isZero();
            List<JsonNode> rows = lines(out);
            assertThat(rows).hasSize(3);
            for (JsonNode row : rows) {
                String name = Path.of(row.get("path").asText()).getFileName().toString();
                assertThat(row.get("scene").asText()).isEqualTo(scene);
                assertThat(row.get("levels")).hasSize(5);
                assertThat(row.has("error")).isFalse();
                worst = Math.max(worst, Math.abs(row.get("score").asDouble() - expected.get(scene).get(name).asDouble()));
            }
        }
        System.out.printf("parity via gamma score --format jsonl: largest difference %.3g%n", worst);
        assertThat(worst).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void aBadImageFailsAloneAndTheExitStatusSaysSo(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mixed"));
        Path good = TestAssets.fixtures().resolve("images").resolve("scene0.png");
        Files.copy(good, dir.resolve("a-good.png"));
        Files.write(dir.resolve("b-empty.png"), new byte[0]);
        byte[] png = Files.readAllBytes(good);
        Files.write(dir.resolve("c-truncated.png"), Arrays.copyOf(png, png.length / 3));
        Files.writeString(dir.resolve("d-text.jpg"), "this is not an image\n");
        Files.copy(good, dir.resolve("e-good.png"));
        Files.write(dir.resolve("f-bomb.png"), pngHeader(100_000, 100_000));
        Files.writeString(dir.resolve("notes.txt"), "not an image extension: ignored when walking a directory");
        Path out = tmp.resolve("out.jsonl");
        Run run = gamma("score", "--model", model().toString(), "--vocab", TestAssets.vocabulary().toString(),
                "--format", "jsonl", "--out", out.toString(), dir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("4 of 6 images failed");
        List<JsonNode> rows = lines(out);
        assertThat(rows).extracting(r -> Path.of(r.get("path").asText()).getFileName().toString())
                .containsExactly("a-good.png", "b-empty.png", "c-truncated.png", "d-text.jpg", "e-good.png", "f-bomb.png");
        assertThat(rows.get(0).get("score").asDouble()).isEqualTo(rows.get(4).get("score").asDouble());
        for (int i : new int[] {1, 2, 3, 5}) {
            assertThat(rows.get(i).has("score")).isFalse();
            assertThat(rows.get(i).get("error").asText()).isNotBlank();
        }
        assertThat(rows.get(5).get("error").asText()).contains("100000x100000");
    }

    /** A PNG signature and IHDR chunk declaring the given size, and nothing else. */
    static byte[] pngHeader(int width, int height) {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return png.array();
    }

    @Test
    void customPromptsFromAFileActLikeTheSceneTheyCopy(@TempDir Path tmp) throws Exception {
        Path prompts = tmp.resolve("my-prompts.txt");
        Files.write(prompts, org.gammaiqa.text.Scene.NATURAL.prompts().prompts());
        Path custom = tmp.resolve("custom.jsonl");
        Path natural = tmp.resolve("natural.jsonl");
        String image = TestAssets.fixtures().resolve("images").resolve("scene0.png").toString();
        assertThat(gamma("score", "--model", model().toString(), "--vocab", TestAssets.vocabulary().toString(),
                "--prompts", prompts.toString(), "--format", "jsonl", "--out", custom.toString(), image).exit()).isZero();
        assertThat(gamma("score", "--model", model().toString(), "--vocab", TestAssets.vocabulary().toString(),
                "--scene", "natural", "--format", "jsonl", "--out", natural.toString(), image).exit()).isZero();
        JsonNode c = lines(custom).get(0);
        assertThat(c.get("score").asDouble()).isEqualTo(lines(natural).get(0).get("score").asDouble());
        assertThat(c.get("scene").asText()).contains("my-prompts");
    }

    @Test
    void csvHasAHeaderAndOneRowPerImage(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.csv");
        Run run = gamma("score", "--model", model().toString(), "--vocab", TestAssets.vocabulary().toString(),
                "--crops", "five", "--out", out.toString(), TestAssets.fixtures().resolve("images").resolve("scene2.png").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> rows = Files.readAllLines(out);
        assertThat(rows.get(0)).isEqualTo(CsvWriter.HEADER);
        assertThat(rows).hasSize(2);
        String[] cells = rows.get(1).split(",", -1);
        assertThat(cells[0]).endsWith("scene2.png");
        assertThat(Double.parseDouble(cells[1])).isBetween(0.0, 1.2);
        assertThat(cells[8]).isEqualTo("5");
        assertThat(cells).hasSize(14);
        assertThat(cells[12]).as("model: empty for an explicit checkpoint").isEmpty();
    }

    @Test
    void unknownSceneIsAUsageError() {
        Run run = gamma("score", "--model", model().toString(), "--vocab", TestAssets.vocabulary().toString(),
                "--scene", "moon", TestAssets.fixtures().resolve("images").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("moon").contains("aesthetic");
    }

    @Test
    void inspectPrintsTheDerivedArchitecture() {
        Run run = gamma("inspect", "--model", model().toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("patch 16, resolution 224")
                .contains("width 64, 2 layers, 1 heads, MLP 256; MoAE in 1 blocks [1] with 2 adaptive experts")
                .contains("context 77, vocabulary 49408")
                .contains("f16");
    }
}

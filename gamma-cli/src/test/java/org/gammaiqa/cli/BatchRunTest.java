package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch runs: resuming after an interruption that tore the last line, the HTML report, the progress line. */
class BatchRunTest {
    /** A folder of 9 images in 3 sub-folders, one of them truncated. */
    static Path folder(Path tmp) throws Exception {
        Path dir = tmp.resolve("photos");
        for (int d = 0; d < 3; d++) {
            Path sub = Files.createDirectories(dir.resolve("day" + d));
            for (int i = 0; i < 3; i++) {
                Files.copy(TestAssets.fixtures().resolve("images").resolve("scene" + i + ".png"), sub.resolve("img" + i + ".png"));
            }
        }
        byte[] png = Files.readAllBytes(dir.resolve("day1").resolve("img1.png"));
        Files.write(dir.resolve("day1").resolve("img1.png"), Arrays.copyOf(png, png.length / 2));
        return dir;
    }

    static ScoreCommandTest.Run score(String... extra) {
        List<String> args = new ArrayList<>(List.of("score", "--model", ScoreCommandTest.model().toString(),
                "--vocab", TestAssets.vocabulary().toString()));
        args.addAll(Arrays.asList(extra));
        return ScoreCommandTest.gamma(args.toArray(String[]::new));
    }

    @Test
    void resumeAfterATornLineLosesAndDuplicatesNothing(@TempDir Path tmp) throws Exception {
        Path dir = folder(tmp);
        for (String format : List.of("jsonl", "csv")) {
            Path full = tmp.resolve("full." + format);
            assertThat(score("--format", format, "--out", full.toString(), dir.toString()).exit()).isEqualTo(1);
            List<String> lines = Files.readAllLines(full);
            int header = format.equals("csv") ? 1 : 0;
            assertThat(lines).hasSize(9 + header);

            // An interruption: four rows written, the fifth torn half-way.
            Path out = tmp.resolve("resumed." + format);
            String fifth = lines.get(header + 4);
            Files.writeString(out, String.join("\n", lines.subList(0, header + 4)) + "\n" + fifth.substring(0, fifth.length() / 2),
                    StandardCharsets.UTF_8);
            ScoreCommandTest.Run resumed = score("--format", format, "--out", out.toString(), "--resume", dir.toString());
            assertThat(resumed.exit()).as(resumed.err()).isEqualTo(1);
            assertThat(resumed.err()).contains("cut off a torn last line").contains("4 images already in");

            Map<String, Double> expected = rows(full, format);
            Map<String, Double> got = rows(out, format);
            assertThat(got).isEqualTo(expected);
            assertThat(Files.readAllLines(out)).hasSize(9 + header);

            ScoreCommandTest.Run again = score("--format", format, "--out", out.toString(), "--resume", dir.toString());
            assertThat(again.err()).contains("9 images already in");
            assertThat(Files.readAllLines(out)).hasSize(9 + header);
        }
    }

    @Test
    void aRunKilledMidwayResumesToEveryImageExactlyOnce(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("many"));
        for (int i = 0; i < 60; i++) {
            Files.copy(TestAssets.fixtures().resolve("images").resolve("scene" + i % 3 + ".png"), dir.resolve(String.format("img%02d.png", i)));
        }
        Path out = tmp.resolve("run.jsonl");
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), GammaCli.class.getName(), "score",
                "--model", ScoreCommandTest.model().toString(), "--vocab", TestAssets.vocabulary().toString(), "--batch", "1",
                "--format", "jsonl", "--out", out.toString(), dir.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while ((!Files.exists(out) || Files.readAllLines(out).size() < 3) && System.nanoTime() < deadline && run.isAlive()) {
            Thread.sleep(10);
        }
        run.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        run.waitFor();
        int before = Files.readAllLines(out).size();
        assertThat(before).as(Files.readString(tmp.resolve("log.txt"))).isBetween(3, 59);

        ScoreCommandTest.Run resumed = score("--format", "jsonl", "--out", out.toString(), "--resume", dir.toString());
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        Map<String, Double> rows = rows(out, "jsonl");
        System.out.printf("killed after %d of 60 lines; resumed to %d distinct paths%n", before, rows.size());
        assertThat(rows).hasSize(60);
        assertThat(Files.readAllLines(out)).hasSize(60);
        for (Map.Entry<String, Double> e : rows.entrySet()) {
            int n = Integer.parseInt(e.getKey().replaceAll(".*img(\\d+)\\.png", "$1"));
            // Copies of one image score alike; float32 sums differ with how crops are grouped into passes.
            assertThat(e.getValue()).isCloseTo(rows.get(dir.resolve(String.format("img%02d.png", n % 3)).toString()),
                    org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    /** Path → score (NaN for an error row); fails on a duplicated path. */
    static Map<String, Double> rows(Path file, String format) throws Exception {
        Map<String, Double> out = new HashMap<>();
        try (var in = Files.newBufferedReader(file)) {
            ResultWriter.read(format, in, file.toString(), r -> assertThat(out.put(r.path(), r.score())).as("duplicate " + r.path()).isNull());
        }
        return out;
    }

    @Test
    void reportHasTheHistogramThumbnailsBestFirstAndFailures(@TempDir Path tmp) throws Exception {
        Path dir = folder(tmp);
        Path html = tmp.resolve("report.html");
        ScoreCommandTest.Run run = score("--format", "jsonl", "--out", tmp.resolve("out.jsonl").toString(), "--report", html.toString(), dir.toString());
        assertThat(run.exit()).isEqualTo(1);
        String page = Files.readString(html);
        assertThat(page).contains("<svg").contains("8 images scored, 1 failed").contains("img1.png").contains("truncated");
        assertThat(page.split("data:image/jpeg;base64,", -1)).hasSize(9);
        assertThat(page).doesNotContain("src=\"http").doesNotContain("<script");
        List<Double> captions = new ArrayList<>();
        Matcher m = Pattern.compile("<figcaption>([0-9.]+)<br>").matcher(page);
        while (m.find()) {
            captions.add(Double.parseDouble(m.group(1)));
        }
        assertThat(captions).hasSize(8).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void reportMapsDrawEachScoredImagesQualityMapWorstFirst(@TempDir Path tmp) throws Exception {
        Path dir = folder(tmp);
        Path html = tmp.resolve("report.html");
        ScoreCommandTest.Run run = score("--report", html.toString(), "--report-maps", dir.toString());
        assertThat(run.exit()).isEqualTo(1);
        String page = Files.readString(html);
        assertThat(page).contains("Quality maps, worst image first");
        assertThat(page.split("<figure class=\"map\"", -1)).hasSize(9);
        assertThat(page.split("alt=\"quality map\" src=\"data:image/jpeg;base64,", -1)).hasSize(9);
        List<Double> captions = new ArrayList<>();
        Matcher m = Pattern.compile("<figure class=\"map\".*?<figcaption>([0-9.]+) ").matcher(page);
        while (m.find()) {
            captions.add(Double.parseDouble(m.group(1)));
        }
        assertThat(captions).hasSize(8).isSorted();
        ScoreCommandTest.Run alone = score("--report-maps", dir.toString());
        assertThat(alone.exit()).isEqualTo(2);
        assertThat(alone.err()).contains("--report-maps needs --report FILE");
    }

    @Test
    void progressGoesToStandardErrorOnly() throws Exception {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        ScoreCommandTest.Run run;
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run = score("--progress", "always", TestAssets.fixtures().resolve("images").toString());
        } finally {
            System.setOut(stdout);
        }
        assertThat(run.exit()).isZero();
        assertThat(run.err()).contains("3/3 images").contains("/s");
        String results = captured.toString(StandardCharsets.UTF_8);
        assertThat(results.lines()).hasSize(4).first().isEqualTo(CsvWriter.HEADER);
        assertThat(results).doesNotContain("ETA").doesNotContain("#").doesNotContain("\r");
        assertThat(Progress.line(50, 1, 100, 10)).isEqualTo("[############------------] 50/100 images  5.0/s  ETA 0:00:10  1 failed");
        assertThat(Progress.line(5, 0, -1, 1)).startsWith("5 images (counting");
    }
}

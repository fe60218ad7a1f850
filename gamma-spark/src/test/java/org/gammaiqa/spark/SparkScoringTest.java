package org.gammaiqa.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gammaiqa.checkpoint.HostileCheckpoints;
import org.gammaiqa.cli.GammaCli;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Spark in local mode on a folder of generated images (three of them unreadable), against
 * {@code gamma score} on the same folder with the same checkpoint and seed.
 */
class SparkScoringTest {
    /**
     * Scores agree to float32 rounding, not bit for bit: libtorch's GEMMs sum in an order that depends on
     * how many crops share a forward pass, and Spark's batches are not gamma score's. Same batches, same bits.
     */
    private static final double TOLERANCE = 1e-6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path images;
    static SparkSession spark;
    /** gamma score's JSONL rows by file name. */
    static Map<String, JsonNode> cli;

    record Scored(Double score, List<Double> levels, String error) {}

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void setUp() throws Exception {
        images = Files.createDirectories(tmp.resolve("images"));
        Random random = new Random(6);
        int[][] sizes = {{224, 224}, {300, 260}, {180, 150}, {500, 333}, {256, 640}};
        for (int i = 0; i < sizes.length; i++) {
            BufferedImage img = new BufferedImage(sizes[i][0], sizes[i][1], BufferedImage.TYPE_INT_RGB);
            int base = random.nextInt(0xffffff);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, base + x * 7 + y * 1031 + random.nextInt(40));
                }
            }
            String format = i == 3 ? "jpg" : "png";
            ImageIO.write(img, format, Files.createDirectories(images.resolve(i % 2 == 0 ? "a" : "b")).resolve("img" + i + "." + format).toFile());
        }
        byte[] png = Files.readAllBytes(images.resolve("a").resolve("img0.png"));
        Files.write(images.resolve("truncated.png"), Arrays.copyOf(png, png.length / 3));
        Files.write(images.resolve("empty.PNG"), new byte[0]);
        Files.writeString(images.resolve("text.jpg"), "this is not an image\n");
        Files.writeString(images.resolve("notes.txt"), "not an image extension: not listed");

        spark = SparkSession.builder().master("local[2]").appName("gamma-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();

        Path jsonl = tmp.resolve("cli.jsonl");
        Run run = run(GammaCli.commandLine(), "score", "--model", model().toString(), "--vocab", TestAssets.vocabulary().toString(),
                "--format", "jsonl", "--out", jsonl.toString(), images.toString());
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        cli = new HashMap<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode row = JSON.readTree(line);
            cli.put(name(row.get("path").asText()), row);
        }
        assertThat(cli).hasSize(8);
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    static Path model() {
        return TestAssets.fixture("micro-fp16").resolve("gamma.pth");
    }

    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static Run run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Map<String, Scored> byName(Dataset<Row> rows, String pathColumn) {
        Map<String, Scored> out = new HashMap<>();
        for (Row r : rows.collectAsList()) {
            Double score = r.isNullAt(r.fieldIndex("score")) ? null : r.getDouble(r.fieldIndex("score"));
            List<Double> levels = r.isNullAt(r.fieldIndex("levels")) ? null : r.getList(r.fieldIndex("levels"));
            out.put(name(r.getString(r.fieldIndex(pathColumn))), new Scored(score, levels, r.getString(r.fieldIndex("error"))));
        }
        return out;
    }

    /** Every image has gamma score's outcome: the same score and levels, or an error on both sides. */
    static void assertMatchesCli(Map<String, Scored> spark, String how, String... notListed) {
        Set<String> expectedNames = new HashSet<>(cli.keySet());
        expectedNames.removeAll(Set.of(notListed));
        assertThat(spark.keySet()).isEqualTo(expectedNames);
        double worst = 0;
        for (Map.Entry<String, Scored> e : spark.entrySet()) {
            JsonNode expected = cli.get(e.getKey());
            Scored actual = e.getValue();
            if (expected.has("error")) {
                assertThat(actual.error()).as(e.getKey()).contains(e.getKey());
                assertThat(actual.score()).as(e.getKey()).isNull();
                continue;
            }
            assertThat(actual.error()).as(e.getKey()).isNull();
            worst = Math.max(worst, Math.abs(actual.score() - expected.get("score").asDouble()));
            for (int l = 0; l < 5; l++) {
                worst = Math.max(worst, Math.abs(actual.levels().get(l) - expected.get("levels").get(l).asDouble()));
            }
        }
        System.out.printf("spark %s vs gamma score: largest difference %.3g%n", how, worst);
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void theJobOnAFolderMatchesGammaScoreImageByImage() {
        Path out = tmp.resolve("job.parquet");
        Run run = run(ScoreJob.commandLine(), "--master", "local[2]", "--input", images.toString(), "--output", out.toString(),
                "--model", model().toString(), "--vocab", TestAssets.vocabulary().toString(), "--batch", "2");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("8 images, 3 failed");
        assertMatchesCli(byName(spark.read().parquet(out.toString()), "path"), "job, parquet");
    }

    @Test
    void binaryFileRowsScoreLikeGammaScoreAndTheSameOnEveryRun() {
        GammaScoring scoring = GammaScoring.builder().model(model(), TestAssets.vocabulary()).batchSize(3).build();
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.{png,PNG,jpg}").load(images.toString());
        Dataset<Row> scored = scoring.transform(files);
        assertThat(scored.columns()).containsExactly("path", "modificationTime", "length", "content", "score", "levels", "error");
        Map<String, Scored> first = byName(scored, "path");
        assertMatchesCli(first, "binaryFile transform", "empty.PNG"); // binaryFile lists no empty file
        assertThat(byName(scored, "path")).as("a re-run with the same batches").isEqualTo(first);
        assertMatchesCli(byName(scoring.transform(files.repartition(3)), "path"), "binaryFile in other batches", "empty.PNG");
    }

    @Test
    void aTableOfPathsGivesCsvWithOneColumnPerLevel() throws Exception {
        Path table = tmp.resolve("paths.csv");
        Files.writeString(table, "id,image\n1," + images.resolve("a/img0.png") + "\n2," + images.resolve("missing.png") + "\n");
        Path out = tmp.resolve("table.csv");
        Run run = run(ScoreJob.commandLine(), "--master", "local[2]", "--paths", table.toString(), "--path-column", "image",
                "--format", "csv", "--output", out.toString(), "--model", model().toString(),
                "--vocab", TestAssets.vocabulary().toString(), "--scene", "natural", "--crops", "five");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("2 images, 1 failed");
        List<Row> rows = spark.read().option("header", "true").csv(out.toString()).orderBy("id").collectAsList();
        assertThat(rows.get(0).schema().fieldNames())
                .containsExactly("id", "image", "score", "p_bad", "p_poor", "p_fair", "p_good", "p_perfect", "error");
        assertThat(Double.parseDouble(rows.get(0).getAs("score"))).isBetween(0.0, 1.2);
        assertThat((String) rows.get(1).getAs("error")).contains("missing.png");
    }

    @Test
    void aCheckpointWithAnotherChecksumFailsTheJobAndSaysWhatToDo() {
        Run run = run(ScoreJob.commandLine(), "--master", "local[2]", "--input", images.toString(),
                "--output", tmp.resolve("never-checksum").toString(), "--model", model().toString(),
                "--model-sha256", "0".repeat(64), "--vocab", TestAssets.vocabulary().toString());
        assertThat(run.exit()).isEqualTo(1);
        System.out.print("checksum mismatch: " + run.err());
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains("SHA-256 " + org.gammaiqa.scoring.ModelSource.digest(model()))
                .contains("expects " + "0".repeat(64)).contains("--files");
    }

    @Test
    void aCheckpointNoExecutorCanReadIsNamedWithWhereToPutIt() {
        Run unhashable = run(ScoreJob.commandLine(), "--master", "local[2]", "--input", images.toString(),
                "--output", tmp.resolve("never-unreadable").toString(), "--model", "nowhere/gamma.pth", "--vocab", TestAssets.vocabulary().toString());
        assertThat(unhashable.exit()).isEqualTo(2);
        assertThat(unhashable.err()).contains("nowhere/gamma.pth").contains("--model-sha256");
        Run unreadable = run(ScoreJob.commandLine(), "--master", "local[2]", "--input", images.toString(),
                "--output", tmp.resolve("never-unreadable").toString(), "--model", "nowhere/gamma.pth", "--model-sha256", "0".repeat(64),
                "--vocab", TestAssets.vocabulary().toString());
        assertThat(unreadable.exit()).isEqualTo(1);
        assertThat(unreadable.err()).contains("nowhere/gamma.pth is not readable on this executor").contains("--files");
    }

    @Test
    void aHostileCheckpointIsRefusedOnTheDriverInOneLine() throws IOException {
        Map<String, Path> hostile = HostileCheckpoints.all(Files.createDirectories(tmp.resolve("hostile")));
        for (String family : List.of("a NaN weight", "duplicate zip entries", "billion laughs as a dict key")) {
            Path file = hostile.get(family);
            Run run = run(ScoreJob.commandLine(), "--master", "local[2]", "--input", images.toString(),
                    "--output", tmp.resolve("never-hostile").toString(), "--model", file.toString(),
                    "--vocab", TestAssets.vocabulary().toString());
            assertThat(run.exit()).as(run.err()).isEqualTo(2);
            assertThat(run.err().lines()).hasSize(1);
            assertThat(run.err()).startsWith("gamma-spark-score: " + file + ": ");
        }
        assertThat(tmp.resolve("never-hostile")).doesNotExist();
    }

    @Test
    void theSchemaIsCheckedBeforeAnythingRuns() {
        GammaScoring scoring = GammaScoring.builder().model(model(), TestAssets.vocabulary()).build();
        Dataset<Row> paths = spark.sql("SELECT 'x.png' AS path, 1 AS n");
        assertThatThrownBy(() -> scoring.transform(paths))
                .hasMessageContaining("no column 'content'").hasMessageContaining("[path, n]");
        assertThatThrownBy(() -> GammaScoring.builder().model(model(), TestAssets.vocabulary()).inputColumn("n").build().transform(paths))
                .hasMessageContaining("column 'n' is int").hasMessageContaining("expected string");
        assertThatThrownBy(() -> GammaScoring.builder().model(model(), TestAssets.vocabulary()).inputColumn("path").build()
                .transform(paths.withColumn("score", paths.col("n"))))
                .hasMessageContaining("already has a column 'score'");
    }
}

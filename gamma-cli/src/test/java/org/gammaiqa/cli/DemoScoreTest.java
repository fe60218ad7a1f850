package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: `gamma score` with no --model scores with the demo model and says so. */
class DemoScoreTest {
    @Test
    void withoutModelTheDemoModelScoresAndIsNamed(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.jsonl");
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("score", "--format", "jsonl", "--crops", "center",
                "--out", out.toString(), TestAssets.fixtures().resolve("images").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("built-in demo model 'gamma-demo'").contains("not the paper's weights");
        List<JsonNode> lines = ScoreCommandTest.lines(out);
        assertThat(lines).isNotEmpty().allSatisfy(l -> {
            assertThat(l.get("model").asText()).isEqualTo("gamma-demo");
            assertThat(l.get("score").asDouble()).isBetween(0.0, 1.0);
        });
    }

    @Test
    void theReadmeFirstCommandRanksTheCleanExampleFirst(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.jsonl");
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("score", "--format", "jsonl", "--out", out.toString(),
                TestAssets.fixtures().getParent().resolve("examples").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> lines = ScoreCommandTest.lines(out);
        assertThat(lines).hasSize(4);
        JsonNode best = lines.stream().max(java.util.Comparator.comparingDouble(l -> l.get("score").asDouble())).orElseThrow();
        lines.forEach(l -> System.out.printf("examples: %s %.3f%n", l.get("path").asText(), l.get("score").asDouble()));
        assertThat(best.get("path").asText()).endsWith("1-clean.png");
    }

    @Test
    void csvRowsNameTheDemoModel(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.csv");
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("score", "--crops", "center", "--out", out.toString(),
                TestAssets.fixtures().resolve("images").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> rows = java.nio.file.Files.readAllLines(out);
        int model = List.of(rows.get(0).split(",")).indexOf("model");
        assertThat(model).isPositive();
        assertThat(rows.subList(1, rows.size())).isNotEmpty()
                .allSatisfy(r -> assertThat(r.split(",", -1)[model]).isEqualTo("gamma-demo"));
    }

    @Test
    void explicitModelsCarryNoModelField(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.jsonl");
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("score", "--model", ScoreCommandTest.model().toString(),
                "--vocab", TestAssets.vocabulary().toString(), "--format", "jsonl", "--crops", "center",
                "--out", out.toString(), TestAssets.fixtures().resolve("images").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("demo model");
        assertThat(ScoreCommandTest.lines(out)).allSatisfy(l -> assertThat(l.has("model")).isFalse());
    }
}

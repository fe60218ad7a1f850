package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Test;

/** `gamma bench` runs end to end and reports every figure, the pipeline pass's too (its numbers are checked by people, not asserted). */
class BenchCommandTest {
    @Test
    void printsATableAndAJsonLineWithEveryFigure() throws Exception {
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("bench", "--model", ScoreCommandTest.model().toString(),
                "--vocab", TestAssets.vocabulary().toString(), "--images", TestAssets.fixtures().resolve("images").toString(),
                "--crops", "2", "--rounds", "1");
        assertThat(run.exit()).as(run.err()).isZero();
        String[] lines = run.out().strip().split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("images").asInt()).isEqualTo(3);
        for (String field : new String[] {"load_s", "seconds_per_image", "crops_per_s", "matmul_peak_gflops", "fraction_of_peak", "peak_rss_mb"}) {
            assertThat(json.get(field).asDouble()).as(field).isPositive();
        }
        assertThat(run.out()).contains("% of peak");
        assertThat(json.get("precision").asText()).isEqualTo("fp32");
        assertThat(json.get("pipeline_images").asInt()).isEqualTo(3);
        assertThat(json.get("pipeline_images_per_s").asDouble()).isPositive();
        assertThat(json.get("network_busy").asDouble()).isPositive().isLessThanOrEqualTo(1);
    }
}

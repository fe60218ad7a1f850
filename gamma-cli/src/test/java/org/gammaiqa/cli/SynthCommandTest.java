package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gamma synth} on the command line: its help names the choices, a bad one is a usage error, a run writes. */
class SynthCommandTest {
    @Test
    void helpListsEveryDistortionAndStyle() {
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("synth", "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("gaussian_blur", "chromatic_aberration", "quantization", "scenes", "leaves");
    }

    @Test
    void unknownStyleIsAUsageError(@TempDir Path tmp) {
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("synth", "--out", tmp.toString(), "--style", "moon");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unknown reference style 'moon'").contains("scenes");
    }

    @Test
    void writesTheChosenStyleTypesAndLevels(@TempDir Path tmp) throws Exception {
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("synth", "--out", tmp.toString(), "--style", "leaves",
                "--count", "2", "--size", "48", "--types", "jpeg,pixelate", "--levels", "2");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).as("no progress redraws into a log").doesNotContain("\r").contains("10 images listed");
        List<String> rows = Files.readAllLines(tmp.resolve("meta_info.csv"));
        assertThat(rows).hasSize(1 + 2 * (1 + 2 * 2));
        assertThat(rows.get(1)).startsWith("ref/leaves0000.png,ref/leaves0000.png,5.0,none,0,");
        assertThat(tmp.resolve("dist/leaves0001_pixelate_2.png")).isRegularFile();
    }
}

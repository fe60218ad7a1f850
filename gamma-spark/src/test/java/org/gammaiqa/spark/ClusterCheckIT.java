package org.gammaiqa.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code cluster-check.sh} after the job jar is built: a standalone Master and Worker on 127.0.0.1, ScoreJob
 * on two executor JVMs against {@code gamma score} (here a plain java command on this test's class path).
 */
class ClusterCheckIT {
    @Test
    void theJobOnAStandaloneClusterScoresLikeGammaScoreLoadsOncePerExecutorAndRefusesAnotherChecksum() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "cluster-check")).toAbsolutePath(); // a failed run leaves its logs here
        Path log = work.resolve("cluster-check.log");
        String gamma = String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("surefire.test.class.path"), "org.gammaiqa.cli.GammaCli");
        ProcessBuilder check = new ProcessBuilder("bash", "cluster-check.sh").redirectErrorStream(true).redirectOutput(log.toFile());
        check.environment().put("GAMMA", gamma);
        check.environment().put("TMPDIR", work.toString());
        Process process = check.start();
        boolean finished = process.waitFor(15, TimeUnit.MINUTES);
        if (!finished) {
            process.destroy(); // the script stops its Master and Worker on TERM
            process.waitFor(1, TimeUnit.MINUTES);
        }
        String output = Files.readString(log);
        System.out.print(output);
        assertThat(finished).as("cluster-check.sh finished in 15 minutes").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        List<String> lines = output.lines().toList();
        assertThat(lines).filteredOn(l -> l.matches("cluster-check: executor \\d+: 1 model load\\(s\\), \\d+ tasks in all;.*")).hasSize(2);
        assertThat(lines).anyMatch(l -> l.startsWith("cluster-check: a wrong --model-sha256 is refused: exit 1"));
        assertThat(lines).last().isEqualTo("cluster-check: passed");
    }
}

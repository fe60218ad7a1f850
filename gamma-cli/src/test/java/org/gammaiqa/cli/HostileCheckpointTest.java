package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gammaiqa.checkpoint.HostileCheckpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every family of hostile checkpoint goes through the real command line in a JVM of 256 MB heap, and is refused in
 * one printable line on standard error that names the file, with exit status 2: no stack trace, no crash file, no
 * escape sequence from the file, within the time limit. The released layout (the same generated Gamma checkpoint,
 * unchanged) is accepted, so the refusals are the files' doing.
 */
class HostileCheckpointTest {
    private static final long TIMEOUT_S = 60;

    @TempDir
    static Path dir;
    private static Map<String, Path> files;

    @BeforeAll
    static void writeFiles() throws IOException {
        files = HostileCheckpoints.all(dir);
    }

    static Stream<Arguments> families() throws IOException {
        if (files == null) {
            writeFiles();
        }
        return files.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "inspect: {0}")
    @MethodSource("families")
    void inspectRefusesInOneLine(String family, Path file) throws Exception {
        assertRefused(run("inspect", "--model", file.toString()), file);
    }

    @Test
    void scoreAndServeRefuseInOneLine() throws Exception {
        for (String family : List.of("a NaN weight", "billion laughs as a dict key")) {
            Path file = files.get(family);
            assertRefused(run("score", "--model", file.toString(), "--vocab", file.toString(), dir.toString()), file);
            assertRefused(run("serve", "--model", file.toString(), "--port", "0"), file);
        }
    }

    @Test
    void theUnchangedCheckpointIsAccepted() throws Exception {
        Path file = HostileCheckpoints.gamma(dir, "unchanged", sd -> { });
        Run r = run("inspect", "--model", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("width 64, 2 layers");
    }

    @Test
    void theNaNRefusalNamesTheTensor() throws Exception {
        Run r = run("inspect", "--model", files.get("a NaN weight").toString());
        assertThat(r.err()).contains("clip_model.visual.proj holds NaN or an infinity (element 5 of");
    }

    @Test
    void namesFromTheFileAreEscaped() throws Exception {
        Run key = run("inspect", "--model", files.get("a key with terminal escape sequences").toString());
        assertThat(key.err()).contains("x\\ngamma: model OK\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202e");
        Run global = run("inspect", "--model", files.get("a global named with escape sequences").toString());
        assertThat(global.err()).contains("refused global 'os\\x1b[31m.system\\ngamma: model OK\\r'");
    }

    @Test
    void errorsAndRawTextsBecomeOneLineInWords() {
        assertThat(GammaCli.refusal(new StackOverflowError())).isEqualTo("the input is nested too deeply to process (stack overflow)");
        assertThat(GammaCli.refusal(new OutOfMemoryError("Java heap space"))).startsWith("out of memory (heap limit ")
                .doesNotContain("Java heap space");
        assertThat(GammaCli.refusal(new IllegalStateException("bad\n\u001b]0;title\u0007"))).isEqualTo("bad\\n\\x1b]0;title\\x07");
        assertThat(GammaCli.refusal(new NullPointerException())).isEqualTo("internal error (NullPointerException)");
    }

    private record Run(int exit, String out, String err, Path workDir) { }

    /** {@code gamma ARGS} in a fresh JVM with a 256 MB heap (quick to start: C1 only, serial GC), in an empty working directory. */
    private static Run run(String... args) throws Exception {
        Path work = Files.createTempDirectory(dir, "run");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), GammaCli.class.getName()));
        command.addAll(List.of(args));
        Path out = work.resolve("stdout");
        Path err = work.resolve("stderr");
        Process p = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("gamma " + String.join(" ", args) + " ran past " + TIMEOUT_S + " s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), work);
    }

    private static void assertRefused(Run r, Path file) throws IOException {
        List<String> lines = r.err().lines().toList();
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(lines).as("stderr").hasSize(1);
        String line = lines.get(0);
        assertThat(line).startsWith("gamma: " + file).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(line.chars().filter(c -> c < 0x20 || c >= 0x7f && c < 0xa0 || c == 0x202e)).as(line).isEmpty();
        try (Stream<Path> left = Files.list(r.workDir())) {
            assertThat(left.map(p -> p.getFileName().toString())).as("crash files").noneMatch(n -> n.startsWith("hs_err"));
        }
    }
}

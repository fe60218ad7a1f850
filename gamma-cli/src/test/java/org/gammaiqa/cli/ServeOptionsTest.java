package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Where {@code gamma serve}'s options come from (flag > environment > config file > default, an unknown file key
 * refused by name), and what {@code gamma --version} and {@code gamma --help} say.
 */
class ServeOptionsTest {
    private static ServeCommand parse(Map<String, String> environment, String... args) {
        CommandLine.ParseResult parsed = GammaCli.commandLine(environment).parseArgs(args);
        return (ServeCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("serve.yml");
        Files.writeString(file, "port: 9001\nmax-batch: 3\nqueue: 5\nlog-format: json\nmetrics-need-key: true\n");
        Map<String, String> env = Map.of("GAMMA_PORT", "9002", "GAMMA_MAX_BATCH", "4", "GAMMA_DRAIN_DELAY_S", "7");

        ServeCommand serve = parse(env, "serve", "--config", file.toString(), "--port", "9003");
        assertThat(serve.port).as("flag").isEqualTo(9003);
        assertThat(serve.maxBatch).as("environment over file").isEqualTo(4);
        assertThat(serve.queue).as("file").isEqualTo(5);
        assertThat(serve.logFormat).as("file").isEqualTo(ServiceLogging.Format.json);
        assertThat(serve.metricsNeedKey).as("file").isTrue();
        assertThat(serve.drainDelayS).as("environment").isEqualTo(7);
        assertThat(serve.deadlineS).as("default").isEqualTo(30);

        ServeCommand fromEnvironmentOnly = parse(Map.of("GAMMA_CONFIG", file.toString(), "GAMMA_HOST", "0.0.0.0"), "serve");
        assertThat(fromEnvironmentOnly.host).isEqualTo("0.0.0.0");
        assertThat(fromEnvironmentOnly.port).isEqualTo(9001);
        assertThat(fromEnvironmentOnly.maxBatch).isEqualTo(3);

        ServeCommand defaults = parse(Map.of(), "serve");
        assertThat(defaults.port).isEqualTo(8080);
        assertThat(defaults.maxBatch).isEqualTo(8);
        assertThat(defaults.metricsNeedKey).isFalse();
        assertThat(defaults.drainDelayS).isZero();
    }

    @Test
    void anUnknownKeyInTheFileIsRefusedByName(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("serve.yml");
        Files.writeString(file, "port: 9001\nmax-bach: 3\n");
        assertThatThrownBy(() -> parse(Map.of(), "serve", "--config", file.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("unknown key 'max-bach'").hasMessageContaining("max-batch");
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("serve", "--config", file.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unknown key 'max-bach'");
        Files.writeString(file, "port: [1, 2]\n");
        assertThatThrownBy(() -> parse(Map.of(), "serve", "--config", file.toString())).hasMessageContaining("'port' must have a single value");
    }

    @Test
    void everyServeOptionHasItsEnvironmentVariable() {
        CommandLine serve = GammaCli.commandLine(Map.of()).getSubcommands().get("serve");
        for (CommandLine.Model.OptionSpec o : serve.getCommandSpec().options()) {
            if (ServeDefaults.configurable(o)) {
                assertThat(ServeDefaults.environmentName(o)).matches("GAMMA_[A-Z0-9_]+");
            }
        }
        CommandLine.Model.OptionSpec maxBodyMb = serve.getCommandSpec().findOption("--max-body-mb");
        assertThat(ServeDefaults.environmentName(maxBodyMb)).isEqualTo("GAMMA_MAX_BODY_MB");
        assertThat(parse(Map.of("GAMMA_MAX_BODY_MB", "2", "GAMMA_MODEL", "/m.pth", "GAMMA_GRACE_S", "5"), "serve"))
                .satisfies(s -> {
                    assertThat(s.maxBodyMb).isEqualTo(2);
                    assertThat(s.graceS).isEqualTo(5);
                });
    }

    @Test
    void versionNamesTheBuildCommitLibtorchJavaAndPlatform() throws Exception {
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("--version");
        System.out.print(run.out());
        assertThat(run.exit()).isZero();
        String[] lines = run.out().split("\n");
        assertThat(lines).hasSize(4);
        Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(git.waitFor()).as("git rev-parse: %s", head).isZero();
        assertThat(lines[0]).as("the commit the build was made from, this checkout's HEAD").isEqualTo("gamma 0.1.0-SNAPSHOT (commit " + head + ")");
        assertThat(lines[1]).startsWith("libtorch 2.7.1");
        assertThat(lines[2]).startsWith("Java " + Runtime.version().feature());
        assertThat(lines[3]).startsWith("platform " + System.getProperty("os.name"));
    }

    @Test
    void theTopLevelHelpGivesEachCommandOneWholeLine() {
        ScoreCommandTest.Run run = ScoreCommandTest.gamma("--help");
        String commands = run.out().substring(run.out().indexOf("Commands:") + "Commands:".length()).strip();
        System.out.println(commands);
        Pattern line = Pattern.compile(" *([a-z]+) {2,}([A-Z].*\\.)");
        String[] lines = commands.split("\n");
        assertThat(lines).hasSize(GammaCli.SUMMARIES.size() + 1); // and help
        for (String l : lines) {
            assertThat(l).as("one whole line per command").matches(line).hasSizeLessThanOrEqualTo(100);
        }
    }
}

package org.gammaiqa.cli;

import java.util.Map;
import org.gammaiqa.checkpoint.SafeText;
import org.gammaiqa.server.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gamma} command: scores, maps, serves, load-tests, inspects, benchmarks, trains and evaluates. A command
 * that fails ends with one line on standard error, {@code gamma: } and the problem in words (characters from files
 * escaped, {@link SafeText}), and exit status 2; so does a stack overflow or running out of memory.
 */
@Command(name = "gamma", mixinStandardHelpOptions = true, versionProvider = GammaCli.Version.class,
        description = "Image quality and aesthetics assessment with the Gamma model (MoAE + scene prompts).",
        subcommands = {ScoreCommand.class, ServeCommand.class, LoadTestCommand.class, InspectCommand.class, BenchCommand.class,
                MapCommand.class, TrainCommand.class, EvalCommand.class, SynthCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class GammaCli {
    /**
     * Each command's line in {@code gamma --help}: one short sentence, whole (picocli would otherwise show the first
     * line of the command's own description, cut where that line wraps).
     */
    static final Map<String, String> SUMMARIES = Map.of(
            "score", "Score images and folders: CSV or JSONL, resumable, HTML report.",
            "serve", "Serve the scoring API over HTTP, with a web page and metrics.",
            "loadtest", "Load-test a running gamma serve and report what it lost.",
            "inspect", "Show what a checkpoint holds and whether it fits the network.",
            "bench", "Measure scoring speed and memory on this machine.",
            "map", "Draw a quality map: every window of an image scored alone.",
            "train", "Train or fine-tune Gamma from a training configuration.",
            "eval", "Evaluate a model on test sets: SRCC and PLCC per set.",
            "synth", "Make a synthetic training set of distorted images.",
            "export", "Export weights (or the mean of several) to safetensors.");

    /** Runs the command line in this JVM, which the command owns: {@link JvmDefaults} apply. */
    public static void main(String[] args) {
        JvmDefaults.apply();
        int status;
        try {
            status = commandLine().execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            System.err.println("gamma: " + refusal(e));
            status = 2;
        }
        System.exit(status);
    }

    /** The configured command line, for tests and embedding; {@code serve} reads this process's environment. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** The configured command line, {@code serve} taking its option values not given as flags from {@code environment}. */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine cli = new CommandLine(new GammaCli());
        SUMMARIES.forEach((name, summary) -> cli.getSubcommands().get(name).getCommandSpec().usageMessage().header(summary));
        cli.getSubcommands().get("serve").setDefaultValueProvider(new ServeDefaults(environment));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("gamma: " + refusal(e));
            return 2;
        });
        return cli;
    }

    /** What went wrong, as one printable line. */
    static String refusal(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "the input is nested too deeply to process (stack overflow)";
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (heap limit " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); the input needs more"
                    + " than this JVM has";
        }
        String message = e.getMessage();
        return SafeText.line(message == null || message.isBlank() ? "internal error (" + e.getClass().getSimpleName() + ")"
                : message);
    }

    /** {@code gamma --version}: the build, its commit, the libtorch it ships, the Java runtime and the platform. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo build = BuildInfo.current();
            return new String[] {
                "gamma " + build.version() + " (commit " + build.commit() + ")",
                "libtorch " + build.libtorch() + " (CPU build, through DJL)",
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + ")",
                "platform " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")
            };
        }
    }
}

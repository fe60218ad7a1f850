package org.gammaiqa.cli;

import org.gammaiqa.checkpoint.SafeText;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gamma} command: scores, maps, serves, load-tests, inspects, benchmarks, trains and evaluates. A command
 * that fails ends with one line on standard error, {@code gamma: } and the problem in words (characters from files
 * escaped, {@link SafeText}), and exit status 2; so does a stack overflow or running out of memory.
 */
@Command(name = "gamma", mixinStandardHelpOptions = true, version = "gamma 0.1.0",
        description = "Image quality and aesthetics assessment with the Gamma model (MoAE + scene prompts).",
        subcommands = {ScoreCommand.class, ServeCommand.class, LoadTestCommand.class, InspectCommand.class, BenchCommand.class,
                MapCommand.class, TrainCommand.class, EvalCommand.class, SynthCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class GammaCli {
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

    /** The configured command line, for tests and embedding. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GammaCli());
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
}

package org.gammaiqa.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gamma} command: scores, maps, serves, load-tests, inspects, benchmarks, trains and evaluates. */
@Command(name = "gamma", mixinStandardHelpOptions = true, version = "gamma 0.1.0",
        description = "Image quality and aesthetics assessment with the Gamma model (MoAE + scene prompts).",
        subcommands = {ScoreCommand.class, ServeCommand.class, LoadTestCommand.class, InspectCommand.class, BenchCommand.class,
                MapCommand.class, TrainCommand.class, EvalCommand.class, SynthCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class GammaCli {
    /** Runs the command line in this JVM, which the command owns: {@link JvmDefaults} apply. */
    public static void main(String[] args) {
        JvmDefaults.apply();
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for tests and embedding. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GammaCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("gamma: " + e.getMessage());
            return 2;
        });
        return cli;
    }
}

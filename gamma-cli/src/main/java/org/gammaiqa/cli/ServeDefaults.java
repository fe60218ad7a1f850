package org.gammaiqa.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a {@code gamma serve} option not given on the command line comes from, as picocli's default-value provider:
 * first the environment ({@code GAMMA_} and the option's name in capitals, dashes as underscores: {@code --max-batch}
 * → {@code GAMMA_MAX_BATCH}), then the config file ({@code --config FILE} or {@code GAMMA_CONFIG}: YAML, one key per
 * option, named without its dashes: {@code max-batch: 8}), then the option's own default. So: flag > environment >
 * file > default. A key of the file that names no option is refused, named, with the keys it may hold.
 */
final class ServeDefaults implements CommandLine.IDefaultValueProvider {
    static final String CONFIG_OPTION = "--config";
    static final String CONFIG_ENV = "GAMMA_CONFIG";

    private final Map<String, String> environment;
    private Path loadedFrom;
    private Map<String, String> file;

    ServeDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The environment variable of an option: {@code --max-batch} → {@code GAMMA_MAX_BATCH}. */
    static String environmentName(OptionSpec option) {
        return "GAMMA_" + key(option).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The config file's key of an option: its longest name without the dashes. */
    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** Whether an option can be set from the environment and the file (all but --help and --version). */
    static boolean configurable(OptionSpec option) {
        return !option.usageHelp() && !option.versionHelp();
    }

    @Override
    public String defaultValue(ArgSpec arg) throws IOException {
        if (!(arg instanceof OptionSpec option) || !configurable(option)) {
            return null;
        }
        String fromEnvironment = environment.get(environmentName(option));
        if (fromEnvironment != null || option.longestName().equals(CONFIG_OPTION)) {
            return fromEnvironment;
        }
        return file(option.command()).get(key(option));
    }

    /** The config file's values, read once; empty when no file is named. */
    private Map<String, String> file(CommandSpec command) throws IOException {
        OptionSpec config = command.findOption(CONFIG_OPTION);
        Path path = config == null ? null : config.getValue();
        if (path == null && environment.get(CONFIG_ENV) != null) {
            path = Path.of(environment.get(CONFIG_ENV));
        }
        if (path == null) {
            return Map.of();
        }
        if (!path.equals(loadedFrom)) {
            file = read(path, command);
            loadedFrom = path;
        }
        return file;
    }

    private static Map<String, String> read(Path path, CommandSpec command) throws IOException {
        Object doc;
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CommandLine.ParameterException(command.commandLine(), "config file " + path + " does not exist");
        } catch (RuntimeException e) {
            throw new CommandLine.ParameterException(command.commandLine(), "config file " + path + " is not valid YAML: " + e.getMessage());
        }
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?> entries)) {
            throw new CommandLine.ParameterException(command.commandLine(), "config file " + path
                    + " must be a YAML mapping of option names to values, e.g. 'port: 8080'");
        }
        TreeSet<String> known = new TreeSet<>();
        for (OptionSpec o : command.options()) {
            if (configurable(o) && !o.longestName().equals(CONFIG_OPTION)) {
                known.add(key(o));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (!known.contains(k)) {
                throw new CommandLine.ParameterException(command.commandLine(), "config file " + path + ": unknown key '" + k
                        + "'; the keys are the options of gamma serve without their dashes: " + String.join(", ", known));
            }
            if (e.getValue() instanceof Map || e.getValue() instanceof Iterable) {
                throw new CommandLine.ParameterException(command.commandLine(), "config file " + path + ": key '" + k
                        + "' must have a single value, got " + e.getValue());
            }
            values.put(k, String.valueOf(e.getValue()));
        }
        return values;
    }
}

package org.gammaiqa.data;

import java.util.List;

/** A training config or dataset that cannot be used; the message lists every problem found, each with its key path. */
public class ConfigException extends java.io.IOException {
    public ConfigException(String message) {
        super(message);
    }

    public static ConfigException of(String what, List<String> problems) {
        return new ConfigException(what + ": " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + "\n  " + String.join("\n  ", problems));
    }
}

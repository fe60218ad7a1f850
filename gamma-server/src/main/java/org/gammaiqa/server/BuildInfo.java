package org.gammaiqa.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build is: the project version, the git commit it was built from ({@code unknown} when built outside a git
 * checkout), and the libtorch version it ships. Written
 * into {@code build.properties} by the build; read by {@code gamma --version} and the service's {@code gamma_build_info}.
 */
public record BuildInfo(String version, String commit, String libtorch) {
    /** The values of this jar's {@code build.properties}. */
    public static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the gamma-server jar; rebuild it");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(filled(p.getProperty("version")), filled(p.getProperty("commit")), filled(p.getProperty("libtorch")));
    }

    /** A property the build did not fill (no git checkout) reads as {@code unknown}. */
    private static String filled(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}

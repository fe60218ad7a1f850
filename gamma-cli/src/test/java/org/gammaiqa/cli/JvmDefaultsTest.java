package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The command's JVM-wide defaults fill in what is unset and leave what the user set. */
class JvmDefaultsTest {
    private static final List<String> KEYS = List.of(JvmDefaults.THREADS, JvmDefaults.INTEROP_THREADS, JvmDefaults.OFFLINE,
            JvmDefaults.HEADLESS);

    @Test
    void unsetPropertiesGetTheCommandsDefaultsAndSetOnesStay() {
        Properties saved = (Properties) System.getProperties().clone();
        try {
            KEYS.forEach(System::clearProperty);
            JvmDefaults.apply();
            assertThat(System.getProperty(JvmDefaults.THREADS)).isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
            assertThat(System.getProperty(JvmDefaults.INTEROP_THREADS)).isEqualTo("1");
            assertThat(System.getProperty(JvmDefaults.HEADLESS)).isEqualTo("true");
            assertThat(System.getProperty(JvmDefaults.OFFLINE)).isEqualTo(System.getenv("DJL_OFFLINE") == null ? "true" : null);

            System.setProperty(JvmDefaults.THREADS, "3");
            System.setProperty(JvmDefaults.INTEROP_THREADS, "2");
            System.setProperty(JvmDefaults.OFFLINE, "false");
            JvmDefaults.apply();
            assertThat(System.getProperty(JvmDefaults.THREADS)).isEqualTo("3");
            assertThat(System.getProperty(JvmDefaults.INTEROP_THREADS)).isEqualTo("2");
            assertThat(System.getProperty(JvmDefaults.OFFLINE)).isEqualTo("false");
        } finally {
            System.setProperties(saved);
        }
    }
}

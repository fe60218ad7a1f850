package org.gammaiqa.cli;

/**
 * The JVM-wide settings of the {@code gamma} command, which owns its JVM (a library never sets them): libtorch's
 * intra-op threads default to every core and its inter-op threads to one (scoring parallelises inside each
 * operation), DJL never downloads libtorch (it comes from the native jar on the class path), and AWT (which draws
 * the quality maps and the report's thumbnails) never opens a display. Each is applied only
 * when neither a {@code -D} option nor, for offline mode, {@code DJL_OFFLINE} set it already.
 */
final class JvmDefaults {
    static final String THREADS = "ai.djl.pytorch.num_threads";
    static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";
    static final String OFFLINE = "ai.djl.offline";
    static final String HEADLESS = "java.awt.headless";

    private JvmDefaults() {}

    static void apply() {
        System.getProperties().putIfAbsent(THREADS, Integer.toString(Runtime.getRuntime().availableProcessors()));
        System.getProperties().putIfAbsent(INTEROP_THREADS, "1");
        System.getProperties().putIfAbsent(HEADLESS, "true");
        if (System.getenv("DJL_OFFLINE") == null) {
            System.getProperties().putIfAbsent(OFFLINE, "true");
        }
    }
}

package org.gammaiqa.scoring;

import ai.djl.engine.Engine;

/** Where libtorch's threads are set before the engine starts: defaults to the machine's cores. */
final class NativeRuntime {
    private NativeRuntime() {}

    static synchronized void configure() {
        String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", cores);
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Engine.getEngine("PyTorch");
    }
}

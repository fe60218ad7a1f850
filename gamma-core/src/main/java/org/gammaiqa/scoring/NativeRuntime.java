package org.gammaiqa.scoring;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * libtorch as the scorer meets it: the engine started with whatever the JVM's owner configured (threads, offline
 * mode, cache folder: nothing is set here, so another DJL user in the same JVM sees no change), and the project's
 * device type translated to DJL's.
 */
final class NativeRuntime {
    private NativeRuntime() {}

    static void start() {
        Engine.getEngine("PyTorch");
    }

    static Device djlDevice(ComputeDevice device) {
        return device.type() == ComputeDevice.Type.CPU ? Device.cpu() : Device.gpu(device.index());
    }
}

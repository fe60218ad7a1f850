package org.gammaiqa.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzzes the unpickler, plain and with torch's globals: every input must give a value or an
 * {@link UnpicklingException}, within the budgets (a hang, an Error or another exception is a finding). The build
 * replays the committed seeds (PickleFuzzTestInputs/); fuzz/fuzz.sh fuzzes it.
 */
class PickleFuzzTest {
    @FuzzTest
    void unpickle(byte[] pickle) {
        try {
            SafeUnpickler.describe(SafeUnpickler.loadData(pickle));
        } catch (UnpicklingException expected) {
            // a refusal in words
        }
        try {
            SafeUnpickler.describe(new TorchPickle().unpickle(ByteBuffer.wrap(pickle)));
        } catch (UnpicklingException expected) {
            // a refusal in words
        }
    }
}

package org.gammaiqa.checkpoint;

/** What one file read may still take on the heap ({@link CheckpointLimits#heapBytes()}), taken before allocating. */
final class HeapBudget {
    private final long limit = CheckpointLimits.heapBytes();
    private long used;

    /** Takes {@code bytes} for {@code what}, or refuses, saying how much the file asks for. */
    void take(long bytes, String what) throws CheckpointFormatException {
        check(bytes, what);
        used += bytes;
    }

    /** Refuses, as {@link #take} would, if {@code bytes} are more than is left; takes nothing. */
    void check(long bytes, String what) throws CheckpointFormatException {
        if (bytes < 0 || bytes > limit - used) {
            throw CheckpointFormatException.malformed(what + " needs " + bytes + " bytes in memory, past the "
                    + (limit >> 20) + " MiB a checkpoint may take on the heap (" + (used >> 20) + " MiB taken)");
        }
    }
}

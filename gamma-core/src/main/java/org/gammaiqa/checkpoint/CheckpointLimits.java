package org.gammaiqa.checkpoint;

/**
 * The budgets within which {@link CheckpointReader} reads a file (docs/SECURITY.md): a file that needs more is
 * refused before the memory is taken. A released Gamma checkpoint needs a small fraction of each.
 */
public final class CheckpointLimits {
    /** Most tensors, and most storages, in one checkpoint (Gamma ViT-B/16 has about 500). */
    public static final int MAX_TENSORS = 65_536;
    /** Most entries in a torch.save zip: a storage each, plus a few records. */
    public static final int MAX_ZIP_ENTRIES = MAX_TENSORS + 64;
    /** Largest object pickle (data.pkl, or the pickles of a legacy file); Gamma's is under 100 KB. */
    public static final int MAX_PICKLE_BYTES = 64 << 20;
    /** Largest safetensors JSON header. */
    public static final int MAX_HEADER_BYTES = 16 << 20;
    /** Largest single tensor or storage: 1 GiB. */
    public static final long MAX_TENSOR_BYTES = 1L << 30;
    /**
     * Most bytes held on the heap per file, for inflated (deflated zip) entries and for tensors gathered from
     * non-contiguous or expanded views: 512 MiB, or half the JVM's heap limit if that is less. Stored entries and
     * contiguous views are mapped from the file, not counted.
     */
    public static final long MAX_HEAP_BYTES = 512L << 20;

    private CheckpointLimits() {
    }

    /** {@link #MAX_HEAP_BYTES}, or half this JVM's heap limit if that is less. */
    static long heapBytes() {
        return Math.min(MAX_HEAP_BYTES, Runtime.getRuntime().maxMemory() / 2);
    }
}

package org.gammaiqa.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The object pickle of a torch checkpoint: tensors become {@link TensorRef}s into storages named by key,
 * checked against their storage's size in overflow-checked arithmetic; {@link #materialize} turns one into a
 * contiguous {@link StoredTensor}. At most {@link CheckpointLimits#MAX_TENSORS} tensors and as many storages, each
 * of at most {@link CheckpointLimits#MAX_TENSOR_BYTES}.
 */
final class TorchPickle {
    /** A torch storage named by its persistent id: element type, key of its bytes, element count. */
    record StorageRef(DType dtype, String key, long numel) { }

    /** A tensor view of a storage: offset and strides in elements. */
    record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) { }

    /** A torch storage class such as {@code torch.FloatStorage}; it only ever appears inside persistent ids. */
    private record StorageType(DType dtype) implements SafeUnpickler.Global {
        @Override
        public Object call(Object[] args) {
            throw new UnpicklingException("refused a call of torch." + dtype.torchStorage(), false);
        }
    }

    private final Map<String, StorageRef> storages = new HashMap<>();
    private int tensors;

    /** Unpickles one torch object pickle starting at {@code pickle}'s position; its storages are then in {@link #storages()}. */
    Object unpickle(ByteBuffer pickle) {
        Map<String, SafeUnpickler.Global> globals = new HashMap<>();
        globals.put("torch._utils._rebuild_tensor_v2", this::rebuildTensor);
        globals.put("torch._utils._rebuild_parameter", args -> args[0]);
        for (DType t : DType.values()) {
            globals.put("torch." + t.torchStorage(), new StorageType(t));
        }
        return new SafeUnpickler(globals, this::storage).load(pickle);
    }

    /** Storages the pickle referred to, by key. */
    Map<String, StorageRef> storages() {
        return storages;
    }

    /** Persistent id {@code ('storage', type, key, location, numel[, view_metadata])} to the storage it names. */
    private Object storage(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])
                || !(t[1] instanceof StorageType type) || !(t[2] instanceof String key) || key.length() > 256) {
            throw malformed("unexpected persistent id " + describe(pid) + ", expected ('storage', type, key, location, numel)");
        }
        if (t.length > 5 && t[5] != null) {
            throw malformed("storage " + key + " is a legacy storage view, which is not supported");
        }
        long numel = toLong(t[4], "storage numel");
        long bytes = numel < 0 ? -1 : StoredTensor.byteSize(new long[] {numel}, type.dtype());
        if (bytes < 0 || bytes > CheckpointLimits.MAX_TENSOR_BYTES) {
            throw malformed("storage " + key + " declares " + numel + " elements of " + type.dtype() + ", over the "
                    + (CheckpointLimits.MAX_TENSOR_BYTES >> 20) + " MiB one storage may have");
        }
        StorageRef ref = new StorageRef(type.dtype(), key, numel);
        StorageRef seen = storages.putIfAbsent(key, ref);
        if (seen != null && !seen.equals(ref)) {
            throw malformed("storage " + key + " is named with two types or sizes");
        }
        if (storages.size() > CheckpointLimits.MAX_TENSORS) {
            throw malformed("more than " + CheckpointLimits.MAX_TENSORS + " storages");
        }
        return ref;
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}. */
    private Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef storage)) {
            throw malformed("_rebuild_tensor_v2 called with " + describe(args) + ", expected (storage, offset, size, stride, ...)");
        }
        if (++tensors > CheckpointLimits.MAX_TENSORS) {
            throw malformed("more than " + CheckpointLimits.MAX_TENSORS + " tensors");
        }
        long offset = toLong(args[1], "storage offset");
        long[] shape = toLongs(args[2], "size");
        long[] stride = toLongs(args[3], "stride");
        if (shape.length != stride.length || shape.length > 64) {
            throw malformed("tensor size " + Arrays.toString(shape) + " and stride " + Arrays.toString(stride) + " differ in rank");
        }
        long numel;
        try {
            numel = StoredTensor.numel(shape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw malformed("tensor size " + Arrays.toString(shape) + " is negative or too large");
        }
        if (numel > 0) {
            long last = offset;
            try {
                for (int i = 0; i < shape.length; i++) {
                    if (stride[i] < 0) {
                        throw malformed("negative stride in " + Arrays.toString(stride));
                    }
                    last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
                }
            } catch (ArithmeticException e) {
                last = Long.MAX_VALUE;
            }
            if (offset < 0 || last >= storage.numel()) {
                throw malformed("tensor of size " + Arrays.toString(shape) + ", stride " + Arrays.toString(stride)
                        + " at offset " + offset + " needs more than the " + storage.numel() + " elements of storage " + storage.key());
            }
        }
        return new TensorRef(storage, offset, shape, stride);
    }

    /**
     * The tensor's elements in row-major order: a slice of {@code storage} when already contiguous, else gathered
     * into a buffer taken from {@code budget} (an expanded, stride-0 view costs its full size).
     */
    static StoredTensor materialize(String name, TensorRef t, ByteBuffer storage, HeapBudget budget) throws IOException {
        int size = t.storage().dtype().bytes();
        long needed = t.storage().numel() * size;
        if (storage.limit() < needed) {
            throw CheckpointFormatException.truncated("storage " + t.storage().key() + " has " + storage.limit() + " bytes, its "
                    + t.storage().numel() + " " + t.storage().dtype() + " elements need " + needed);
        }
        long[] shape = t.shape();
        long numel = StoredTensor.numel(shape);
        if (numel == 0) {
            return new StoredTensor(t.storage().dtype(), shape, ByteBuffer.allocate(0));
        }
        if (isContiguous(shape, t.stride())) {
            return new StoredTensor(t.storage().dtype(), shape, storage.slice((int) (t.offset() * size), (int) numel * size));
        }
        long bytes = StoredTensor.byteSize(shape, t.storage().dtype());
        if (bytes < 0 || bytes > CheckpointLimits.MAX_TENSOR_BYTES) {
            throw CheckpointFormatException.malformed("tensor '" + name + "' is a view of shape " + Arrays.toString(shape)
                    + ", over the " + (CheckpointLimits.MAX_TENSOR_BYTES >> 20) + " MiB one tensor may have");
        }
        budget.take(bytes, "tensor '" + name + "' (a strided or expanded view of shape " + Arrays.toString(shape) + ")");
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] index = new long[shape.length];
        long element = t.offset();
        for (int n = 0; n < numel; n++) {
            out.put(n * size, storage, (int) (element * size), size);
            for (int d = shape.length - 1; d >= 0; d--) {
                element += t.stride()[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                element -= t.stride()[d] * shape[d];
                index[d] = 0;
            }
        }
        return new StoredTensor(t.storage().dtype(), shape, out);
    }

    private static boolean isContiguous(long[] shape, long[] stride) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    private static long[] toLongs(Object tuple, String what) {
        if (!(tuple instanceof Object[] items)) {
            throw malformed("tensor " + what + " is " + describe(tuple) + ", expected a tuple of ints");
        }
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = toLong(items[i], what);
        }
        return out;
    }

    private static long toLong(Object o, String what) {
        if (o instanceof Integer || o instanceof Long) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        throw malformed(what + " is " + describe(o) + ", expected an int that fits in 64 bits");
    }

    private static String describe(Object o) {
        return SafeUnpickler.describe(o);
    }

    private static UnpicklingException malformed(String what) {
        return new UnpicklingException(what, false);
    }
}

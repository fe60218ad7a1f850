package org.gammaiqa.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;

/**
 * The object pickle of a torch checkpoint: tensors become {@link TensorRef}s into storages named by key,
 * checked against their storage's size; {@link #materialize} turns one into a contiguous {@link StoredTensor}.
 */
final class TorchPickle {
    /** A torch storage named by its persistent id: element type, key of its bytes, element count. */
    record StorageRef(DType dtype, String key, long numel) { }

    /** A tensor view of a storage: offset and strides in elements. */
    record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) { }

    /** A torch storage class such as {@code torch.FloatStorage}; it only ever appears inside persistent ids. */
    private record StorageType(DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch." + dtype.torchStorage() + " may not be called");
        }
    }

    private final Map<String, StorageRef> storages = new HashMap<>();

    /** Unpickles one torch object pickle starting at {@code pickle}'s position; its storages are then in {@link #storages()}. */
    Object unpickle(ByteBuffer pickle) {
        Map<String, IObjectConstructor> globals = new HashMap<>();
        globals.put("torch._utils._rebuild_tensor_v2", TorchPickle::rebuildTensor);
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
                || !(t[1] instanceof StorageType type) || !(t[2] instanceof String key)) {
            throw new PickleException("unexpected persistent id " + describe(pid) + ", expected ('storage', type, key, location, numel)");
        }
        if (t.length > 5 && t[5] != null) {
            throw new PickleException("storage " + key + " is a legacy storage view, which is not supported");
        }
        StorageRef ref = new StorageRef(type.dtype(), key, toLong(t[4], "storage numel"));
        StorageRef seen = storages.putIfAbsent(key, ref);
        if (seen != null && !seen.equals(ref)) {
            throw new PickleException("storage " + key + " is named as both " + seen + " and " + ref);
        }
        return ref;
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}. */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef storage)) {
            throw new PickleException("_rebuild_tensor_v2 called with " + describe(args) + ", expected (storage, offset, size, stride, ...)");
        }
        long offset = toLong(args[1], "storage offset");
        long[] shape = toLongs(args[2], "size");
        long[] stride = toLongs(args[3], "stride");
        if (shape.length != stride.length) {
            throw new PickleException("tensor size " + Arrays.toString(shape) + " and stride " + Arrays.toString(stride) + " differ in rank");
        }
        long numel;
        try {
            numel = StoredTensor.numel(shape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new PickleException("tensor size " + Arrays.toString(shape) + " is negative or too large");
        }
        if (numel > 0) {
            long last = offset;
            try {
                for (int i = 0; i < shape.length; i++) {
                    if (stride[i] < 0) {
                        throw new PickleException("negative stride in " + Arrays.toString(stride));
                    }
                    last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
                }
            } catch (ArithmeticException e) {
                last = Long.MAX_VALUE;
            }
            if (offset < 0 || last >= storage.numel()) {
                throw new PickleException("tensor of size " + Arrays.toString(shape) + ", stride " + Arrays.toString(stride)
                        + " at offset " + offset + " needs more than the " + storage.numel() + " elements of storage " + storage.key());
            }
        }
        return new TensorRef(storage, offset, shape, stride);
    }

    /** The tensor's elements gathered into row-major order; a slice of {@code storage} when already contiguous. */
    static StoredTensor materialize(TensorRef t, ByteBuffer storage) {
        int size = t.storage().dtype().bytes();
        long needed = t.storage().numel() * size;
        if (storage.limit() < needed) {
            throw new PickleException("storage " + t.storage().key() + " has " + storage.limit() + " bytes, its "
                    + t.storage().numel() + " " + t.storage().dtype() + " elements need " + needed);
        }
        long[] shape = t.shape();
        int numel = Math.toIntExact(StoredTensor.numel(shape));
        if (numel == 0) {
            return new StoredTensor(t.storage().dtype(), shape, ByteBuffer.allocate(0));
        }
        if (isContiguous(shape, t.stride())) {
            return new StoredTensor(t.storage().dtype(), shape, storage.slice((int) (t.offset() * size), numel * size));
        }
        ByteBuffer out = ByteBuffer.allocate(numel * size).order(ByteOrder.LITTLE_ENDIAN);
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
            throw new PickleException("tensor " + what + " is " + describe(tuple) + ", expected a tuple of ints");
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
        throw new PickleException(what + " is " + describe(o) + ", expected an int that fits in 64 bits");
    }

    private static String describe(Object o) {
        return o instanceof Object[] a ? Arrays.deepToString(a) : String.valueOf(o);
    }
}

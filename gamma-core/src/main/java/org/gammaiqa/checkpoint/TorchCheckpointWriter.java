package org.gammaiqa.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a {@link StateDict} in torch.save's zip format (pickle protocol 2), atomically, loadable by
 * {@code torch.load} with the keys unchanged; optionally wrapped as {@code {wrapKey: state_dict}}.
 */
public final class TorchCheckpointWriter {
    private static final String ARCHIVE = "archive/";

    private TorchCheckpointWriter() {
    }

    /** Writes {@code stateDict} to {@code file}, under {@code wrapKey} (e.g. "params" for Gamma) or bare if null. */
    public static void write(Path file, StateDict stateDict, String wrapKey) throws IOException {
        byte[] pickle = pickle(stateDict.asMap(), wrapKey);
        AtomicFile.write(file, out -> {
            StoredZipWriter zip = new StoredZipWriter(out);
            zip.add(ARCHIVE + "data.pkl", ByteBuffer.wrap(pickle));
            zip.add(ARCHIVE + "byteorder", ascii("little"));
            int key = 0;
            for (StoredTensor t : stateDict.asMap().values()) {
                zip.add(ARCHIVE + "data/" + key++, t.data());
            }
            zip.add(ARCHIVE + "version", ascii("3\n"));
            zip.finish();
        });
    }

    /**
     * {@code {wrapKey: OrderedDict(name -> _rebuild_tensor_v2(persistent ('storage', XStorage, key, 'cpu', numel),
     * 0, shape, stride, False, OrderedDict()))}}, storage keys numbered in order.
     */
    private static byte[] pickle(Map<String, StoredTensor> tensors, String wrapKey) {
        Pickle p = new Pickle();
        p.op(0x80).op(2);
        if (wrapKey != null) {
            p.op('}').string(wrapKey);
        }
        p.orderedDict().op('(');
        int key = 0;
        for (Map.Entry<String, StoredTensor> e : tensors.entrySet()) {
            StoredTensor t = e.getValue();
            p.string(e.getKey()).global("torch._utils", "_rebuild_tensor_v2").op('(');
            p.op('(').string("storage").global("torch", t.dtype().torchStorage()).string(Integer.toString(key++))
                    .string("cpu").integer(t.numel()).op('t').op('Q');
            p.integer(0).tuple(t.shape()).tuple(contiguousStrides(t.shape())).op(0x89).orderedDict();
            p.op('t').op('R');
        }
        p.op('u');
        if (wrapKey != null) {
            p.op('s');
        }
        return p.op('.').bytes.toByteArray();
    }

    private static long[] contiguousStrides(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= shape[d];
        }
        return stride;
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Protocol-2 pickle opcodes, written in order. */
    private static final class Pickle {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Pickle op(int opcode) {
            bytes.write(opcode);
            return this;
        }

        Pickle string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            op('X').littleEndian(utf8.length, 4);
            bytes.writeBytes(utf8);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            bytes.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle integer(long v) {
            return v == (int) v ? op('J').littleEndian(v, 4) : op(0x8a).op(8).littleEndian(v, 8);
        }

        Pickle tuple(long[] values) {
            op('(');
            for (long v : values) {
                integer(v);
            }
            return op('t');
        }

        Pickle orderedDict() {
            return global("collections", "OrderedDict").op(')').op('R');
        }

        private Pickle littleEndian(long v, int width) {
            for (int i = 0; i < width; i++) {
                bytes.write((int) (v >>> (8 * i)));
            }
            return this;
        }
    }
}

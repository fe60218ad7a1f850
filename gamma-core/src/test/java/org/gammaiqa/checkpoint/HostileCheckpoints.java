package org.gammaiqa.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.gammaiqa.model.CheckpointLayout;
import org.gammaiqa.model.GammaConfig;
import org.gammaiqa.model.TextConfig;
import org.gammaiqa.model.TransformerConfig;
import org.gammaiqa.checkpoint.CheckpointTestFiles.PickleBytes;
import org.gammaiqa.model.VisionConfig;

/**
 * Malformed and malicious checkpoints, one family each, written at test time (each a few MB at most): what an
 * attacker would hand to {@code gamma inspect}, {@code score} or {@code serve}. Every one must be refused in one
 * line, within a small heap.
 */
public final class HostileCheckpoints {
    private HostileCheckpoints() {
    }

    /** Every family, by name, written into {@code dir}. */
    public static Map<String, Path> all(Path dir) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("deep nesting as a dict key", pickleZip(dir, "deep-key", deepList(100_000).op('N', 's', '.')));
        files.put("deep nesting as a persistent id", pickleZip(dir, "deep-pid", deepList(100_000).op('Q', '.')));
        files.put("a list containing itself as a key", pickleZip(dir, "self-key",
                new PickleBytes().op(0x80, 2, '}', ']', 'q', 0, 'h', 0, 'a', 'N', 's', '.')));
        files.put("billion laughs as a dict key", pickleZip(dir, "laughs-key", laughs(60).op('N', 's', '.')));
        files.put("billion laughs as a persistent id", pickleZip(dir, "laughs-pid", laughs(60).op('Q', '.')));
        files.put("a LONG of 6 million digits", pickleZip(dir, "long-text",
                new PickleBytes().op(0x80, 2).raw("L" + "7".repeat(6_000_000) + "L\n").op('.')));
        files.put("a LONG4 of 6 million bytes", pickleZip(dir, "long4", new PickleBytes().op(0x80, 2, 0x8b)
                .op(le(6_000_000, 4)).raw("\1".repeat(6_000_000)).op('.')));
        files.put("an expert numbered 1999999999", gamma(dir, "expert-index", sd -> sd.put(
                "clip_model.visual.transformer.resblocks.1.mlp.experts.expert_1999999999.c_fc.weight", floats(new long[] {1}))));
        files.put("a text positional embedding of 46,341 rows", gamma(dir, "positions", sd -> sd.put(
                CheckpointLayout.textPositions(), floats(new long[] {46_341, 64}))));
        files.put("a NaN weight", gamma(dir, "nan", sd -> {
            StoredTensor t = sd.get(CheckpointLayout.visualProjection());
            float[] v = t.toFloats();
            v[5] = Float.NaN;
            sd.put(CheckpointLayout.visualProjection(), StoredTensor.ofFloats(t.shape(), v));
        }));
        files.put("a logit_scale whose exponential overflows", gamma(dir, "logit-scale", sd -> sd.put(
                CheckpointLayout.logitScale(), StoredTensor.ofFloats(new long[] {}, new float[] {100f}))));
        files.put("a key with terminal escape sequences", gamma(dir, "escapes", sd -> sd.put(
                "x\ngamma: model OK\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e", floats(new long[] {1}))));
        files.put("a global named with escape sequences", pickleZip(dir, "escaped-global", new PickleBytes().op(0x80, 4)
                .str("os\u001b[31m").str("system\ngamma: model OK\r").op(0x93, '.')));
        files.put("a stride-0 tensor expanded to 2^29 elements", tensorZip(dir, "expand-2g", 1, 0, 1L << 29, 0, false));
        files.put("a stride-0 tensor expanded to 2^26 elements", tensorZip(dir, "expand-256m", 1, 0, 1L << 26, 0, false));
        files.put("a storage of 2^62+5 elements at offset 2^62", tensorZip(dir, "wrapped", (1L << 62) + 5, 1L << 62, 5, 1, false));
        files.put("a deflated storage declaring 1 GiB", tensorZip(dir, "inflate-storage", 1L << 28, 0, 1L << 28, 1, true));
        files.put("a deflated data.pkl declaring 2 GiB", bomb(dir));
        files.put("duplicate zip entries", rawZip(dir, "duplicate", List.of(entry("archive/data.pkl", tensorPickle(1, 0, 1, 1)),
                entry("archive/data/0", new byte[4]), entry("archive/data/0", new byte[] {0, 0, -128, 127}))));
        files.put("an encrypted zip entry", rawZip(dir, "encrypted", List.of(entry("archive/data.pkl", tensorPickle(1, 0, 1, 1)),
                new RawEntry("archive/data/0", new byte[4], 1))));
        files.put("a zip entry named ../../", rawZip(dir, "dotdot", List.of(entry("archive/data.pkl", tensorPickle(1, 0, 1, 1)),
                entry("archive/../../data/0", new byte[4]))));
        files.put("100,000 one-byte safetensors tensors", manyTensors(dir));
        files.put("overlapping safetensors offsets", safetensors(dir, "overlap",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", 6));
        files.put("duplicate safetensors keys", safetensors(dir, "duplicate-key",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}", 4));
        return files;
    }

    /** A small valid Gamma checkpoint (safetensors) after {@code change}; the unchanged one loads. */
    public static Path gamma(Path dir, String name, Consumer<Map<String, StoredTensor>> change) throws IOException {
        List<Integer> perLayer = List.of(0, 2);
        TransformerConfig t = new TransformerConfig(64, 256, TransformerConfig.headsFor(64), perLayer);
        GammaConfig c = new GammaConfig(new VisionConfig(16, 32, t), new TextConfig(256, 77, t), 64, 32, 5);
        Map<String, StoredTensor> sd = new LinkedHashMap<>();
        int seed = 1;
        for (Map.Entry<String, long[]> e : CheckpointLayout.expectedShapes(c).entrySet()) {
            float[] v = new float[Math.toIntExact(StoredTensor.numel(e.getValue()))];
            for (int i = 0; i < v.length; i++) {
                v[i] = ((seed = seed * 1103515245 + 12345) >>> 16 & 0xff) / 2560f - 0.05f;
            }
            sd.put(e.getKey(), StoredTensor.ofFloats(e.getValue(), v));
        }
        change.accept(sd);
        Path file = dir.resolve(name + ".safetensors");
        SafetensorsWriter.write(file, new StateDict(sd));
        return file;
    }

    private static StoredTensor floats(long[] shape) {
        return StoredTensor.ofFloats(shape, new float[Math.toIntExact(StoredTensor.numel(shape))]);
    }

    /** A list nested {@code depth} deep, then a dict below it: {@code {[[[…]]]: …}} needs a value and SETITEM. */
    private static PickleBytes deepList(int depth) {
        PickleBytes p = new PickleBytes().op(0x80, 2, '}');
        for (int i = 0; i < depth; i++) {
            p.op(']');
        }
        for (int i = 1; i < depth; i++) {
            p.op('a');
        }
        return p;
    }

    /** L0 = [1]; L(i) = [L(i-1), L(i-1)] through the memo: 2^levels elements reached from a few hundred bytes. */
    private static PickleBytes laughs(int levels) {
        PickleBytes p = new PickleBytes().op(0x80, 2, '}', ']', 'K', 1, 'a', 'r').op(le(0, 4));
        for (int i = 1; i <= levels; i++) {
            p.op('0', '(', 'j').op(le(i - 1, 4)).op('j').op(le(i - 1, 4)).op('l', 'r').op(le(i, 4));
        }
        return p;
    }

    private static int[] le(long v, int bytes) {
        int[] out = new int[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (int) (v >>> (8 * i)) & 0xff;
        }
        return out;
    }

    private static Path pickleZip(Path dir, String name, PickleBytes pickle) throws IOException {
        return rawZip(dir, name, List.of(entry("archive/data.pkl", pickle.bytes())));
    }

    /** {'w': tensor} over a FloatStorage of {@code numel} elements, shape (size,), stride (stride,). */
    private static byte[] tensorPickle(long numel, long offset, long size, long stride) {
        return CheckpointTestFiles.tensorPickle(numel, offset, new long[] {size}, new long[] {stride});
    }

    private static Path tensorZip(Path dir, String name, long numel, long offset, long size, long stride, boolean deflated)
            throws IOException {
        long declared = numel * 4;
        RawEntry data = deflated ? new RawEntry("archive/data/0", new byte[] {3, 0}, 0, 8, declared)
                : entry("archive/data/0", new byte[4]);
        return rawZip(dir, name, List.of(entry("archive/data.pkl", tensorPickle(numel, offset, size, stride)), data));
    }

    /** A data.pkl entry whose deflated bytes (an empty stream) claim to inflate to 2 GiB. */
    private static Path bomb(Path dir) throws IOException {
        return rawZip(dir, "inflate-pickle", List.of(new RawEntry("archive/data.pkl", new byte[] {3, 0}, 0, 8, 2L << 30)));
    }

    private static Path manyTensors(Path dir) throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 100_000; i++) {
            json.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[")
                    .append(i).append(',').append(i + 1).append("]}");
        }
        return safetensors(dir, "many", json.append('}').toString(), 100_000);
    }

    static Path safetensors(Path dir, String name, String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        return Files.write(dir.resolve(name + ".safetensors"), b.array());
    }

    /** A zip entry as written: name, bytes as stored, general-purpose flags, method and declared inflated size. */
    private record RawEntry(String name, byte[] data, int flags, int method, long size) {
        RawEntry(String name, byte[] data, int flags) {
            this(name, data, flags, 0, data.length);
        }
    }

    private static RawEntry entry(String name, byte[] data) {
        return new RawEntry(name, data, 0);
    }

    /** A zip written byte by byte, so that it may break the rules java.util.zip keeps (duplicate names, say). */
    private static Path rawZip(Path dir, String name, List<RawEntry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> central = new ArrayList<>();
        for (RawEntry e : entries) {
            byte[] n = e.name().getBytes(StandardCharsets.UTF_8);
            boolean zip64 = e.size() >= 0xffffffffL;
            ByteBuffer local = header(30 + n.length);
            local.putInt(ZipArchive.LOCAL_HEADER).putShort((short) 45).putShort((short) e.flags()).putShort((short) e.method())
                    .putInt(0).putInt(0).putInt(e.data().length).putInt((int) Math.min(e.size(), 0xffffffffL))
                    .putShort((short) n.length).putShort((short) 0).put(n);
            ByteBuffer cd = header(46 + n.length + (zip64 ? 12 : 0));
            cd.putInt(ZipArchive.CENTRAL_HEADER).putShort((short) 45).putShort((short) 45).putShort((short) e.flags())
                    .putShort((short) e.method()).putInt(0).putInt(0).putInt(e.data().length)
                    .putInt(zip64 ? -1 : (int) e.size()).putShort((short) n.length).putShort((short) (zip64 ? 12 : 0))
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(out.size()).put(n);
            if (zip64) {
                cd.putShort((short) ZipArchive.ZIP64_EXTRA).putShort((short) 8).putLong(e.size());
            }
            central.add(cd.array());
            out.writeBytes(local.array());
            out.writeBytes(e.data());
        }
        int cdStart = out.size();
        central.forEach(out::writeBytes);
        ByteBuffer end = header(22);
        end.putInt(ZipArchive.END).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt(out.size() - cdStart).putInt(cdStart).putShort((short) 0);
        out.writeBytes(end.array());
        return Files.write(dir.resolve(name + ".pth"), out.toByteArray());
    }

    private static ByteBuffer header(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}

package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gammaiqa.checkpoint.TorchPickle.StorageRef;
import org.gammaiqa.checkpoint.TorchPickle.TensorRef;
import org.gammaiqa.checkpoint.ZipArchive.Entry;

/**
 * Reads a state dict from a torch.save zip file, a legacy (pre-1.6) torch file or a safetensors file, told
 * apart by content. Unwraps {@code {"params": sd}} (Gamma's layout), {@code state_dict} and {@code model}, and
 * strips a {@code module.} prefix that every key carries. Stored data is memory-mapped, never copied.
 */
public final class CheckpointReader {
    private static final String HINT = "; is this a torch.save or safetensors checkpoint of Gamma?";
    private static final String TRUNCATED_HINT = "; the file may be truncated or corrupt, copy or download it again";
    private static final List<String> WRAPPERS = List.of("params", "state_dict", "model");
    private static final String PREFIX = "module.";
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int LEGACY_PROTOCOL = 1001;

    private CheckpointReader() {
    }

    /** The state dict in {@code file}; one {@link CheckpointException} naming the file and the problem otherwise. */
    public static StateDict read(Path file) throws CheckpointException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw new CheckpointException(file, "the file is empty (0 bytes)" + TRUNCATED_HINT);
            }
            ByteBuffer head = FileBytes.read(channel, 0, (int) Math.min(size, 9));
            Map<String, StoredTensor> tensors;
            if (size >= 4 && head.getInt(0) == ZipArchive.LOCAL_HEADER || size >= 4 && head.getInt(0) == ZipArchive.END) {
                tensors = readZip(file, channel);
            } else if ((head.get(0) & 0xff) == 0x80) {
                tensors = readLegacy(file, channel);
            } else if (size >= 9 && SafetensorsFormat.looksLike(head, size)) {
                tensors = SafetensorsFormat.read(channel);
            } else {
                throw new CheckpointException(file, "not a torch.save zip, legacy torch or safetensors file (starts with "
                        + hex(head) + ")" + HINT);
            }
            return new StateDict(stripPrefix(tensors));
        } catch (CheckpointException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file; check the path", e);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "cannot read checkpoint: " + e.getMessage() + TRUNCATED_HINT, e);
        }
    }

    private static Map<String, StoredTensor> readZip(Path file, FileChannel channel) throws IOException {
        ZipArchive zip = new ZipArchive(channel);
        Entry pickle = zip.entries().values().stream()
                .filter(e -> e.name().endsWith("data.pkl")).findFirst()
                .orElseThrow(() -> new CheckpointException(file, "zip has no entry ending in data.pkl, only "
                        + zip.entries().keySet() + HINT));
        String prefix = pickle.name().substring(0, pickle.name().length() - "data.pkl".length());
        Entry byteOrder = zip.entries().get(prefix + "byteorder");
        if (byteOrder != null && !"little".equals(ascii(zip.data(byteOrder)))) {
            throw new CheckpointException(file, "storages are big-endian (" + prefix + "byteorder), only little-endian is supported"
                    + "; re-save the checkpoint on a little-endian machine");
        }
        Object root = unpickle(file, new TorchPickle(), zip.data(pickle), pickle.name());
        Map<String, TensorRef> refs = unwrap(file, root);
        Map<String, ByteBuffer> storages = new HashMap<>();
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            String key = e.getValue().storage().key();
            ByteBuffer storage = storages.get(key);
            if (storage == null) {
                Entry data = zip.entries().get(prefix + "data/" + key);
                if (data == null) {
                    throw new CheckpointException(file, "zip has no entry '" + prefix + "data/" + key + "' for the storage of tensor '"
                            + e.getKey() + "'" + TRUNCATED_HINT);
                }
                storage = zip.data(data);
                storages.put(key, storage);
            }
            out.put(e.getKey(), TorchPickle.materialize(e.getValue(), storage));
        }
        return out;
    }

    /** Magic number, protocol, sys info, object, storage keys (pickles), then per key an int64 count and the bytes. */
    private static Map<String, StoredTensor> readLegacy(Path file, FileChannel channel) throws IOException {
        ByteBuffer pickles = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(channel.size(), Integer.MAX_VALUE));
        Object magic = unpickle(file, null, pickles, "the magic number");
        if (!LEGACY_MAGIC.equals(magic)) {
            throw new CheckpointException(file, "a pickle, but not a torch checkpoint (its first object is " + magic
                    + ", not torch's magic number)" + HINT);
        }
        Object protocol = unpickle(file, null, pickles, "the protocol version");
        if (!(protocol instanceof Integer p) || p != LEGACY_PROTOCOL) {
            throw new CheckpointException(file, "legacy torch protocol " + protocol + ", expected " + LEGACY_PROTOCOL + HINT);
        }
        if (unpickle(file, null, pickles, "the sys info") instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new CheckpointException(file, "storages are big-endian, only little-endian is supported"
                    + "; re-save the checkpoint on a little-endian machine");
        }
        TorchPickle torch = new TorchPickle();
        Map<String, TensorRef> refs = unwrap(file, unpickle(file, torch, pickles, "the object"));
        if (!(unpickle(file, null, pickles, "the storage keys") instanceof List<?> keys)) {
            throw new CheckpointException(file, "legacy storage key list is not a list" + TRUNCATED_HINT);
        }
        Map<String, ByteBuffer> storages = new HashMap<>();
        long position = pickles.position();
        for (Object key : keys) {
            StorageRef storage = torch.storages().get(String.valueOf(key));
            if (storage == null) {
                throw new CheckpointException(file, "legacy storage " + key + " is listed but no tensor names it" + TRUNCATED_HINT);
            }
            long count = FileBytes.read(channel, position, 8).getLong(0);
            long bytes = count * storage.dtype().bytes();
            if (count < 0 || count > Integer.MAX_VALUE || position + 8 + bytes > channel.size()) {
                throw new CheckpointException(file, "legacy storage " + key + " claims " + count + " elements at byte " + position
                        + " of a " + channel.size() + "-byte file" + TRUNCATED_HINT);
            }
            storages.put(storage.key(), channel.map(FileChannel.MapMode.READ_ONLY, position + 8, bytes));
            position += 8 + bytes;
        }
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            ByteBuffer storage = storages.get(e.getValue().storage().key());
            if (storage == null) {
                throw new CheckpointException(file, "tensor '" + e.getKey() + "' uses storage " + e.getValue().storage().key()
                        + ", which the file does not hold" + TRUNCATED_HINT);
            }
            out.put(e.getKey(), TorchPickle.materialize(e.getValue(), storage));
        }
        return out;
    }

    /** One pickle at {@code pickle}'s position, read with torch's globals or (torch null) as plain data. */
    private static Object unpickle(Path file, TorchPickle torch, ByteBuffer pickle, String what) throws CheckpointException {
        try {
            return torch == null ? new SafeUnpickler().load(pickle) : torch.unpickle(pickle);
        } catch (RuntimeException e) {
            throw new CheckpointException(file, "cannot unpickle " + what + ": " + e.getMessage() + HINT, e);
        }
    }

    /** The state dict inside the unpickled object: itself, or under "params", "state_dict" or "model". */
    private static Map<String, TensorRef> unwrap(Path file, Object root) throws CheckpointException {
        Map<String, TensorRef> bare = asStateDict(root);
        if (bare != null) {
            return bare;
        }
        if (root instanceof Map<?, ?> map) {
            for (String wrapper : WRAPPERS) {
                Map<String, TensorRef> inner = asStateDict(map.get(wrapper));
                if (inner != null) {
                    return inner;
                }
            }
            throw new CheckpointException(file, "found a dict with keys " + map.keySet()
                    + ", expected a state dict of tensors, bare or under one of " + WRAPPERS + HINT);
        }
        throw new CheckpointException(file, "found a " + (root == null ? "None" : root.getClass().getSimpleName())
                + ", expected a dict of tensors" + HINT);
    }

    /** {@code o} as a map from string keys to tensors, or null if it is not one. */
    private static Map<String, TensorRef> asStateDict(Object o) {
        if (!(o instanceof Map<?, ?> map) || map.isEmpty()) {
            return null;
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof TensorRef t)) {
                return null;
            }
            out.put(key, t);
        }
        return out;
    }

    private static Map<String, StoredTensor> stripPrefix(Map<String, StoredTensor> tensors) {
        if (tensors.isEmpty() || !tensors.keySet().stream().allMatch(k -> k.startsWith(PREFIX))) {
            return tensors;
        }
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k.substring(PREFIX.length()), v));
        return out;
    }

    private static String ascii(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII).trim();
    }

    private static String hex(ByteBuffer head) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < head.limit(); i++) {
            sb.append(String.format("%02x ", head.get(i)));
        }
        return sb.toString().trim();
    }
}

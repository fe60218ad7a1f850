package org.gammaiqa.checkpoint;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
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
 * strips a {@code module.} prefix that every key carries. Stored data is memory-mapped, never copied; everything
 * else is read within {@link CheckpointLimits} (docs/SECURITY.md).
 */
public final class CheckpointReader {
    private static final String MALFORMED = "; it is not a valid checkpoint";
    private static final String TRUNCATED = "; the file looks truncated: copy or download it again";
    private static final String HINT = "; is this a torch.save or safetensors checkpoint of Gamma?";
    private static final List<String> WRAPPERS = List.of("params", "state_dict", "model");
    private static final String PREFIX = "module.";
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int LEGACY_PROTOCOL = 1001;

    private CheckpointReader() {
    }

    /**
     * The state dict in {@code file}, read within {@link CheckpointLimits}; otherwise one {@link CheckpointException},
     * one line naming the file, the problem and what to do.
     */
    public static StateDict read(Path file) throws CheckpointException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedFile mapped = new MappedFile(channel);
            long size = mapped.size();
            if (size == 0) {
                throw new CheckpointException(file, "the file is empty (0 bytes)" + TRUNCATED);
            }
            ByteBuffer head = mapped.slice(0, Math.min(size, 9), "the file's first bytes");
            HeapBudget budget = new HeapBudget();
            Map<String, StoredTensor> tensors;
            if (size >= 4 && (head.getInt(0) == ZipArchive.LOCAL_HEADER || head.getInt(0) == ZipArchive.END)) {
                tensors = readZip(file, mapped, budget);
            } else if ((head.get(0) & 0xff) == 0x80) {
                tensors = readLegacy(file, mapped, budget);
            } else if (size >= 9 && SafetensorsFormat.looksLike(head, size)) {
                tensors = SafetensorsFormat.read(mapped);
            } else {
                throw new CheckpointException(file, "not a torch.save zip, legacy torch or safetensors file (starts with "
                        + hex(head) + ")" + HINT);
            }
            return new StateDict(stripPrefix(tensors));
        } catch (CheckpointException e) {
            throw e;
        } catch (CheckpointFormatException e) {
            throw new CheckpointException(file, e.getMessage() + (e.truncated() ? TRUNCATED : MALFORMED), e);
        } catch (UnpicklingException e) {
            throw new CheckpointException(file, "cannot unpickle it: " + e.getMessage() + (e.truncated() ? TRUNCATED : MALFORMED), e);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file; check the path", e);
        } catch (AccessDeniedException e) {
            throw new CheckpointException(file, "permission denied", e);
        } catch (FileSystemException e) {
            throw new CheckpointException(file, "cannot read it" + (e.getReason() == null ? "" : ": " + e.getReason()), e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read it (input/output error)", e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new CheckpointException(file, "its contents are inconsistent" + MALFORMED, e);
        }
    }

    private static Map<String, StoredTensor> readZip(Path file, MappedFile mapped, HeapBudget budget) throws IOException {
        ZipArchive zip = new ZipArchive(mapped);
        List<Entry> pickles = zip.entries().values().stream().filter(e -> e.name().endsWith("data.pkl")).toList();
        if (pickles.size() != 1) {
            throw new CheckpointException(file, pickles.isEmpty()
                    ? "zip has no entry ending in data.pkl, only " + names(zip.entries().keySet()) + HINT
                    : "zip has " + pickles.size() + " entries ending in data.pkl, " + names(pickles.stream().map(Entry::name).toList())
                            + MALFORMED);
        }
        Entry pickle = pickles.get(0);
        String prefix = pickle.name().substring(0, pickle.name().length() - "data.pkl".length());
        Entry byteOrder = zip.entries().get(prefix + "byteorder");
        if (byteOrder != null && !"little".equals(ascii(zip.data(byteOrder, 16, budget)))) {
            throw new CheckpointException(file, "storages are big-endian (" + prefix + "byteorder), only little-endian is supported"
                    + "; re-save the checkpoint on a little-endian machine");
        }
        TorchPickle torch = new TorchPickle();
        Map<String, TensorRef> refs = unwrap(file, torch.unpickle(zip.data(pickle, CheckpointLimits.MAX_PICKLE_BYTES, budget)));
        Map<String, Entry> entries = new HashMap<>();
        long deflated = 0;
        for (TensorRef t : refs.values()) {
            String key = t.storage().key();
            Entry data = zip.entries().get(prefix + "data/" + key);
            if (data == null) {
                throw new CheckpointException(file, "zip has no entry '" + prefix + "data/" + key + "' for storage " + key + TRUNCATED);
            }
            if (entries.put(key, data) == null && data.method() != ZipArchive.STORED) {
                deflated += data.size();
            }
        }
        budget.check(deflated, "inflating the zip's deflated storages");
        Map<String, ByteBuffer> storages = new HashMap<>();
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            StorageRef ref = e.getValue().storage();
            ByteBuffer storage = storages.get(ref.key());
            if (storage == null) {
                storage = zip.data(entries.get(ref.key()), ref.numel() * ref.dtype().bytes(), budget);
                storages.put(ref.key(), storage);
            }
            out.put(e.getKey(), TorchPickle.materialize(e.getKey(), e.getValue(), storage, budget));
        }
        return out;
    }

    /** Magic number, protocol, sys info, object, storage keys (pickles), then per key an int64 count and the bytes. */
    private static Map<String, StoredTensor> readLegacy(Path file, MappedFile mapped, HeapBudget budget) throws IOException {
        ByteBuffer pickles = mapped.slice(0, Math.min(mapped.size(), CheckpointLimits.MAX_PICKLE_BYTES), "the pickles");
        Object magic = new SafeUnpickler().load(pickles);
        if (!LEGACY_MAGIC.equals(magic)) {
            throw new CheckpointException(file, "a pickle, but not a torch checkpoint (its first object is "
                    + SafeUnpickler.describe(magic) + ", not torch's magic number)" + HINT);
        }
        Object protocol = new SafeUnpickler().load(pickles);
        if (!(protocol instanceof Integer p) || p != LEGACY_PROTOCOL) {
            throw new CheckpointException(file, "legacy torch protocol " + SafeUnpickler.describe(protocol) + ", expected "
                    + LEGACY_PROTOCOL + HINT);
        }
        if (new SafeUnpickler().load(pickles) instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new CheckpointException(file, "storages are big-endian, only little-endian is supported"
                    + "; re-save the checkpoint on a little-endian machine");
        }
        TorchPickle torch = new TorchPickle();
        Map<String, TensorRef> refs = unwrap(file, torch.unpickle(pickles));
        if (!(new SafeUnpickler().load(pickles) instanceof List<?> keys)) {
            throw new CheckpointException(file, "legacy storage key list is not a list" + MALFORMED);
        }
        Map<String, ByteBuffer> storages = new HashMap<>();
        long position = pickles.position();
        for (Object key : keys) {
            StorageRef storage = key instanceof String k ? torch.storages().get(k) : null;
            if (storage == null) {
                throw new CheckpointException(file, "legacy storage " + SafeUnpickler.describe(key) + " is listed but no tensor names it"
                        + MALFORMED);
            }
            if (storages.containsKey(storage.key())) {
                throw new CheckpointException(file, "legacy storage " + storage.key() + " is listed twice" + MALFORMED);
            }
            long count = mapped.slice(position, 8, "the size of legacy storage " + storage.key()).getLong(0);
            if (count != storage.numel()) {
                throw new CheckpointException(file, "legacy storage " + storage.key() + " holds " + count + " elements where its"
                        + " tensors' pickle declares " + storage.numel() + MALFORMED);
            }
            long bytes = count * storage.dtype().bytes();
            storages.put(storage.key(), mapped.slice(position + 8, bytes, "legacy storage " + storage.key()));
            position += 8 + bytes;
        }
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            ByteBuffer storage = storages.get(e.getValue().storage().key());
            if (storage == null) {
                throw new CheckpointException(file, "tensor '" + e.getKey() + "' uses storage " + e.getValue().storage().key()
                        + ", which the file does not hold" + TRUNCATED);
            }
            out.put(e.getKey(), TorchPickle.materialize(e.getKey(), e.getValue(), storage, budget));
        }
        return out;
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
            throw new CheckpointException(file, "found a dict with keys " + names(map.keySet())
                    + ", expected a state dict of tensors, bare or under one of " + WRAPPERS + HINT);
        }
        throw new CheckpointException(file, "found " + SafeUnpickler.describe(root) + ", expected a dict of tensors" + HINT);
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

    /** The first few of {@code names} (strings from the file), for a message. */
    private static String names(java.util.Collection<?> names) {
        StringBuilder sb = new StringBuilder("[");
        int shown = 0;
        for (Object n : names) {
            if (shown == 8) {
                return sb.append(", … ").append(names.size() - shown).append(" more]").toString();
            }
            sb.append(shown++ == 0 ? "" : ", ").append(SafeUnpickler.describe(n));
        }
        return sb.append(']').toString();
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

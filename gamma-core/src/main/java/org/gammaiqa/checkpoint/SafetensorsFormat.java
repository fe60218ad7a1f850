package org.gammaiqa.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors layout: an 8-byte little-endian header length, a JSON header giving each tensor's
 * dtype, shape and data_offsets (relative to the data that follows), then the raw little-endian data.
 */
final class SafetensorsFormat {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";
    private static final long MAX_HEADER = 100L << 20;

    private SafetensorsFormat() {
    }

    /** Whether a file of {@code size} bytes starting with {@code head} (little-endian, at least 9 bytes) looks like safetensors. */
    static boolean looksLike(ByteBuffer head, long size) {
        long headerLength = head.getLong(0);
        return headerLength >= 2 && headerLength <= size - 8 && head.get(8) == '{';
    }

    /** Every tensor of the file, mapped in place. */
    static Map<String, StoredTensor> read(FileChannel channel) throws IOException {
        long size = channel.size();
        long headerLength = FileBytes.read(channel, 0, 8).getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
            throw new IOException("safetensors header length " + headerLength + " does not fit the " + size + "-byte file");
        }
        JsonNode root = JSON.readTree(FileBytes.read(channel, 8, (int) headerLength).array());
        if (root == null || !root.isObject()) {
            throw new IOException("safetensors header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals(METADATA)) {
                out.put(field.getKey(), tensor(channel, field.getKey(), field.getValue(), dataStart, size));
            }
        }
        return out;
    }

    private static StoredTensor tensor(FileChannel channel, String name, JsonNode info, long dataStart, long size)
            throws IOException {
        JsonNode shapeNode = info.path("shape");
        JsonNode offsets = info.path("data_offsets");
        if (!info.path("dtype").isTextual() || !shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new IOException("safetensors entry '" + name + "' is " + info + ", expected {dtype, shape, data_offsets: [begin, end]}");
        }
        DType dtype = DType.ofSafetensors(info.get("dtype").asText());
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).canConvertToLong()) {
                throw new IOException("safetensors entry '" + name + "' has shape " + shapeNode + ", expected non-negative ints");
            }
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        long bytes = Math.multiplyExact(StoredTensor.numel(shape), dtype.bytes());
        if (begin < 0 || end - begin != bytes || dataStart + end > size) {
            throw new IOException("safetensors entry '" + name + "' has data_offsets [" + begin + ", " + end + "] but "
                    + dtype + shapeNode + " needs " + bytes + " bytes within the " + (size - dataStart) + " data bytes");
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IOException("safetensors entry '" + name + "' has " + bytes + " bytes, over the 2 GiB a buffer holds");
        }
        return new StoredTensor(dtype, shape, channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, bytes));
    }

    /** The header for {@code tensors} laid out in order, padded with spaces to a multiple of 8 bytes. */
    static byte[] header(Map<String, StoredTensor> tensors) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, StoredTensor> e : tensors.entrySet()) {
            StoredTensor t = e.getValue();
            ObjectNode info = root.putObject(e.getKey());
            info.put("dtype", t.dtype().safetensorsName());
            ArrayNode shape = info.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long bytes = t.numel() * t.dtype().bytes();
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(root);
        byte[] padded = Arrays.copyOf(json, (json.length + 7) & ~7);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }
}

package org.gammaiqa.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors layout: an 8-byte little-endian header length, a JSON header giving each tensor's
 * dtype, shape and data_offsets (relative to the data that follows), then the raw little-endian data.
 */
final class SafetensorsFormat {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String METADATA = "__metadata__";

    private SafetensorsFormat() {
    }

    /** Whether a file of {@code size} bytes starting with {@code head} (little-endian, at least 9 bytes) looks like safetensors. */
    static boolean looksLike(ByteBuffer head, long size) {
        long headerLength = head.getLong(0);
        return headerLength >= 2 && headerLength <= size - 8 && head.get(8) == '{';
    }

    /**
     * Every tensor of the file, mapped in place. The header must be a JSON object of at most
     * {@link CheckpointLimits#MAX_HEADER_BYTES} naming at most {@link CheckpointLimits#MAX_TENSORS} tensors, no key
     * twice, whose data ranges tile the data that follows exactly: no gaps, no overlaps, nothing after the last.
     */
    static Map<String, StoredTensor> read(MappedFile file) throws IOException {
        long size = file.size();
        long headerLength = file.slice(0, 8, "the safetensors header length").getLong(0);
        if (headerLength < 2 || headerLength > size - 8) {
            throw CheckpointFormatException.truncated("safetensors header length " + headerLength + " does not fit the "
                    + size + "-byte file");
        }
        if (headerLength > CheckpointLimits.MAX_HEADER_BYTES) {
            throw CheckpointFormatException.malformed("safetensors header of " + headerLength + " bytes, over the "
                    + (CheckpointLimits.MAX_HEADER_BYTES >> 20) + " MiB a header may have");
        }
        JsonNode root = parse(file.slice(8, headerLength, "the safetensors header"));
        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;
        if (root.size() > CheckpointLimits.MAX_TENSORS + 1) {
            throw CheckpointFormatException.malformed("safetensors header names " + root.size() + " tensors, over the "
                    + CheckpointLimits.MAX_TENSORS + " a checkpoint may have");
        }
        List<Range> ranges = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals(METADATA)) {
                ranges.add(range(field.getKey(), field.getValue()));
            }
        }
        List<Range> byOffset = new ArrayList<>(ranges);
        byOffset.sort(Comparator.comparingLong(Range::begin).thenComparingLong(Range::end));
        long expected = 0;
        for (Range r : byOffset) {
            if (r.begin() != expected) {
                throw CheckpointFormatException.malformed("safetensors entry '" + r.name() + "' starts at data byte " + r.begin()
                        + (r.begin() < expected ? ", inside the data of another tensor (overlapping offsets)"
                                : ", leaving a gap after byte " + expected));
            }
            expected = r.end();
        }
        if (expected != dataSize) {
            throw expected > dataSize
                    ? CheckpointFormatException.truncated("safetensors data ends at byte " + dataSize + " but its tensors need "
                            + expected)
                    : CheckpointFormatException.malformed("safetensors file has " + (dataSize - expected)
                            + " bytes after its last tensor");
        }
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (Range r : ranges) {
            out.put(r.name(), new StoredTensor(r.dtype(), r.shape(),
                    file.slice(dataStart + r.begin(), r.end() - r.begin(), "safetensors entry '" + r.name() + "'")));
        }
        return out;
    }

    /** One header entry: its type, shape and data range. */
    private record Range(String name, DType dtype, long[] shape, long begin, long end) { }

    private static JsonNode parse(ByteBuffer header) throws IOException {
        byte[] json = new byte[header.remaining()];
        header.get(json);
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            String why = String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")
                    ? "names one key twice" : "is not valid JSON";
            throw CheckpointFormatException.malformed("safetensors header " + why + where);
        }
        if (root == null || !root.isObject()) {
            throw CheckpointFormatException.malformed("safetensors header is not a JSON object");
        }
        return root;
    }

    private static Range range(String name, JsonNode info) throws IOException {
        JsonNode shapeNode = info.path("shape");
        JsonNode offsets = info.path("data_offsets");
        if (!info.path("dtype").isTextual() || !shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()) {
            throw CheckpointFormatException.malformed("safetensors entry '" + name
                    + "' is not {dtype, shape, data_offsets: [begin, end]}");
        }
        DType dtype;
        try {
            dtype = DType.ofSafetensors(info.get("dtype").asText());
        } catch (IllegalArgumentException e) {
            throw CheckpointFormatException.malformed("safetensors entry '" + name + "' has an " + e.getMessage());
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw CheckpointFormatException.malformed("safetensors entry '" + name + "' has a shape of other than non-negative ints");
            }
            shape[i] = d.asLong();
        }
        long bytes = StoredTensor.byteSize(shape, dtype);
        if (bytes < 0 || bytes > CheckpointLimits.MAX_TENSOR_BYTES) {
            throw CheckpointFormatException.malformed("safetensors entry '" + name + "' has shape " + Arrays.toString(shape)
                    + ", over the " + (CheckpointLimits.MAX_TENSOR_BYTES >> 20) + " MiB one tensor may have");
        }
        long begin = offsets.get(0).canConvertToLong() ? offsets.get(0).asLong() : -1;
        long end = offsets.get(1).canConvertToLong() ? offsets.get(1).asLong() : -1;
        if (begin < 0 || end < begin || end - begin != bytes) {
            throw CheckpointFormatException.malformed("safetensors entry '" + name + "' has data_offsets [" + offsets.get(0)
                    + ", " + offsets.get(1) + "] but " + dtype + Arrays.toString(shape) + " needs " + bytes + " bytes");
        }
        return new Range(name, dtype, shape, begin, end);
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

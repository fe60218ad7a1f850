package org.gammaiqa.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Named tensors of a checkpoint in file order, with the keys exactly as stored (after unwrapping). */
public final class StateDict {
    private final Map<String, StoredTensor> tensors;

    /** A state dict of these tensors, keys in their order. */
    public StateDict(Map<String, StoredTensor> tensors) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** The tensor names. */
    public Set<String> keys() {
        return tensors.keySet();
    }

    /** True when a tensor is stored under {@code key}. */
    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    /** The tensor named {@code key}; an error naming the key if it is absent. */
    public StoredTensor get(String key) {
        StoredTensor t = tensors.get(key);
        if (t == null) {
            throw new IllegalArgumentException("checkpoint has no tensor '" + key + "'");
        }
        return t;
    }

    /** The tensors by name, unmodifiable. */
    public Map<String, StoredTensor> asMap() {
        return tensors;
    }

    /** The number of tensors. */
    public int size() {
        return tensors.size();
    }
}

package org.gammaiqa.data;

/** Which list of a split file a dataset reads. */
public enum Phase {
    TRAIN, VAL, TEST;

    /** The split file's list for this phase; Parity: AVADataset's validation reads {@code test}. */
    String splitKey(DatasetType type) {
        return switch (this) {
            case TRAIN -> "train";
            case VAL -> type == DatasetType.AVA ? "test" : "val";
            case TEST -> "test";
        };
    }
}

package org.gammaiqa.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The pyiqa dataset classes the original configs name, with the quirks kept for compatibility (docs/MODEL.md, "Training recipe"). */
public enum DatasetType {
    /** CSV columns path, mos, …. */
    GENERAL_NR("GeneralNRDataset"),
    /** CSV columns ref, dist, mos, …; with {@code nr_model: true} only the distorted image is used. */
    GENERAL_FR("GeneralFRDataset"),
    /** An NR set whose first 7 CSV rows are dropped before the split indices are applied. */
    LIVE_CHALLENGE("LIVEChallengeDataset"),
    /** Columns path, mos, then vote counts; its validation phase reads the split's {@code test} list. */
    AVA("AVADataset");

    private final String upstreamName;

    DatasetType(String upstreamName) {
        this.upstreamName = upstreamName;
    }

    public String upstreamName() {
        return upstreamName;
    }

    public static DatasetType parse(String name) {
        for (DatasetType t : values()) {
            if (t.upstreamName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dataset type '" + name + "'; expected one of "
                + Arrays.stream(values()).map(DatasetType::upstreamName).collect(Collectors.joining(", ")));
    }
}

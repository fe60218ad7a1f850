package org.gammaiqa.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gammaiqa.text.Scene;

/**
 * One {@code datasets.train_k} / {@code val_k} entry of an option file.
 *
 * @param key         the entry's key, e.g. {@code train_3}
 * @param scene       whose prompts the samples are scored against (generic without SDP)
 * @param splitFile   pyiqa split pickle, or null to use the CSV's split column (if any) or every row
 * @param mosRange    [low, high] of the raw MOS
 * @param lowerBetter whether a lower raw MOS means better quality
 * @param normalize   whether to map the MOS to [0, 1] (docs/MODEL.md, "Training recipe")
 */
public record DatasetSpec(String key, String name, DatasetType type, Path root, Path metaInfo, Path splitFile,
                          int splitIndex, double[] mosRange, boolean lowerBetter, boolean normalize, Augment augment,
                          Scene scene) {
    /** Rows LIVEChallengeDataset drops from the top of its CSV before applying the split (the original's quirk). */
    static final int LIVE_CHALLENGE_SKIPPED_ROWS = 7;

    /** The MOS as training and evaluation use it: {@code (mos − lo)/(hi − lo)}, then {@code 1 − ·} if lower is better. */
    public double normalise(double mos) {
        if (!normalize) {
            return mos;
        }
        double v = (mos - mosRange[0]) / (mosRange[1] - mosRange[0]);
        return lowerBetter ? 1 - v : v;
    }

    /**
     * The samples of one phase: CSV rows (LIVEC: after dropping its first 7), picked by the split file, or else by
     * a {@code split_<split_index>} or {@code split} column holding train/val/test, or else all rows; with image
     * paths under the root and normalised MOS, and for a full-reference dataset each row's reference and distortion
     * type ({@link Sample}; a row whose image is its reference is the reference itself).
     *
     * @throws ConfigException if a file is unreadable, a column is missing or a split row is out of range
     */
    public List<Sample> load(Phase phase) throws IOException {
        MetaInfo.Table table = MetaInfo.readCsv(metaInfo);
        List<List<String>> rows = table.rows();
        if (type == DatasetType.LIVE_CHALLENGE) {
            rows = rows.subList(Math.min(LIVE_CHALLENGE_SKIPPED_ROWS, rows.size()), rows.size());
        }
        List<Integer> picked = new ArrayList<>();
        String list = phase.splitKey(type);
        int splitColumn = table.column("split_" + splitIndex) >= 0 ? table.column("split_" + splitIndex) : table.column("split");
        if (splitFile != null) {
            picked = MetaInfo.readSplit(splitFile, splitIndex, list);
        } else if (splitColumn >= 0) {
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).size() > splitColumn && rows.get(i).get(splitColumn).equalsIgnoreCase(list)) {
                    picked.add(i);
                }
            }
        } else {
            for (int i = 0; i < rows.size(); i++) {
                picked.add(i);
            }
        }
        boolean fr = type == DatasetType.GENERAL_FR;
        int pathColumn = fr ? 1 : 0;
        int mosColumn = pathColumn + 1;
        int typeColumn = table.column("type");
        List<Sample> out = new ArrayList<>(picked.size());
        for (int r : picked) {
            if (r < 0 || r >= rows.size()) {
                throw new ConfigException(name + ": split " + splitIndex + " of " + splitFile + " names row " + r
                        + " but " + metaInfo + " has " + rows.size() + " data rows"
                        + (type == DatasetType.LIVE_CHALLENGE ? " after dropping the first 7" : "")
                        + "; do the split file and the CSV belong together?");
            }
            List<String> row = rows.get(r);
            if (row.size() <= mosColumn) {
                throw new ConfigException(metaInfo + " row " + (r + 2) + " has " + row.size() + " columns, expected "
                        + (type == DatasetType.GENERAL_FR ? "ref, dist, mos" : "path, mos") + " for " + type.upstreamName());
            }
            double mos;
            try {
                mos = Double.parseDouble(row.get(mosColumn));
            } catch (NumberFormatException e) {
                throw new ConfigException(metaInfo + " row " + (r + 2) + " has MOS '" + row.get(mosColumn) + "', expected a number");
            }
            Path image = root.resolve(row.get(pathColumn));
            if (!fr) {
                out.add(new Sample(image, normalise(mos)));
                continue;
            }
            String ref = row.get(0);
            String distortion = "";
            if (ref.equals(row.get(pathColumn))) {
                distortion = null;                                // the reference itself
            } else if (typeColumn >= 0 && row.size() > typeColumn) {
                distortion = row.get(typeColumn);
            }
            out.add(new Sample(image, normalise(mos), ref, distortion));
        }
        return out;
    }

    /** The samples of {@code phase} whose image file does not exist. */
    public List<Sample> missing(List<Sample> samples) {
        return samples.stream().filter(s -> !Files.isRegularFile(s.image())).toList();
    }
}

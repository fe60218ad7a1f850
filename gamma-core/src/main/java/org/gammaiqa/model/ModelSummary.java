package org.gammaiqa.model;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.gammaiqa.checkpoint.CheckpointException;
import org.gammaiqa.checkpoint.CheckpointReader;
import org.gammaiqa.checkpoint.DType;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.checkpoint.StoredTensor;

/**
 * What a checkpoint holds, without building the network: its derived architecture, parameter
 * counts (total, per tower, head, adaptive experts) and the number of parameters stored per dtype.
 */
public record ModelSummary(GammaConfig config, long total, long vision, long text, long head,
                           long adaptiveExperts, Map<DType, Long> parametersByType) {
    public ModelSummary {
        parametersByType = Map.copyOf(parametersByType);
    }

    /**
     * Reads and summarises a checkpoint file, checking everything loading checks but building nothing; a file that
     * is not a readable Gamma checkpoint is one {@link CheckpointException} naming it.
     */
    public static ModelSummary of(Path checkpoint) throws CheckpointException {
        try {
            return of(CheckpointReader.read(checkpoint));
        } catch (CheckpointMismatchException e) {
            throw new CheckpointException(checkpoint, e.getMessage(), e);
        }
    }

    /** Summarises a state dict; fails like loading would if it is not a Gamma checkpoint. */
    public static ModelSummary of(StateDict sd) throws CheckpointMismatchException {
        GammaConfig config = CheckpointLayout.derive(sd);
        CheckpointLayout.verify(sd, config);
        long total = 0;
        long experts = 0;
        Map<CheckpointLayout.Part, Long> parts = new EnumMap<>(CheckpointLayout.Part.class);
        Map<DType, Long> types = new EnumMap<>(DType.class);
        for (Map.Entry<String, StoredTensor> e : sd.asMap().entrySet()) {
            long n = e.getValue().numel();
            total += n;
            parts.merge(CheckpointLayout.partOf(e.getKey()), n, Long::sum);
            types.merge(e.getValue().dtype(), n, Long::sum);
            if (CheckpointLayout.isAdaptiveExpert(e.getKey())) {
                experts += n;
            }
        }
        return new ModelSummary(config, total, parts.getOrDefault(CheckpointLayout.Part.VISION, 0L),
                parts.getOrDefault(CheckpointLayout.Part.TEXT, 0L), parts.getOrDefault(CheckpointLayout.Part.HEAD, 0L),
                experts, types);
    }
}

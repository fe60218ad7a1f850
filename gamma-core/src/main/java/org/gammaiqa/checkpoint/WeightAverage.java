package org.gammaiqa.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The element-wise mean of checkpoints that hold the same tensors, e.g. the weights a run had at the end of each
 * of its last epochs (stochastic weight averaging): floating-point tensors are summed in double precision and
 * stored as float32; every other tensor must be equal in all of them. Checkpoints that differ in a name, a shape
 * or a type are refused, naming the file and the tensor.
 */
public final class WeightAverage {
    private WeightAverage() {}

    /** Reads every file (each is checked as {@link CheckpointReader} does) and returns their mean. */
    public static StateDict of(List<Path> files) throws CheckpointException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no checkpoint to average");
        }
        List<StateDict> dicts = new ArrayList<>();
        for (Path f : files) {
            dicts.add(CheckpointReader.read(f));
        }
        StateDict first = dicts.get(0);
        for (int i = 1; i < dicts.size(); i++) {
            requireSameTensors(files.get(0), first, files.get(i), dicts.get(i));
        }
        Map<String, StoredTensor> mean = new LinkedHashMap<>();
        for (String key : first.keys()) {
            StoredTensor t = first.get(key);
            if (!t.dtype().isFloatingPoint()) {
                for (int i = 1; i < dicts.size(); i++) {
                    if (!Arrays.equals(t.toLongs(), dicts.get(i).get(key).toLongs())) {
                        throw new CheckpointException(files.get(i), "tensor '" + key + "' (" + t.dtype()
                                + ") differs from " + files.get(0) + "; only floating-point tensors are averaged");
                    }
                }
                mean.put(key, t);
                continue;
            }
            double[] sum = new double[Math.toIntExact(t.numel())];
            for (StateDict d : dicts) {
                float[] v = d.get(key).toFloats();
                for (int j = 0; j < v.length; j++) {
                    sum[j] += v[j];
                }
            }
            float[] out = new float[sum.length];
            for (int j = 0; j < out.length; j++) {
                out[j] = (float) (sum[j] / dicts.size());
            }
            mean.put(key, StoredTensor.ofFloats(t.shape(), out));
        }
        return new StateDict(mean);
    }

    private static void requireSameTensors(Path firstFile, StateDict first, Path file, StateDict other)
            throws CheckpointException {
        for (String key : first.keys()) {
            if (!other.contains(key)) {
                throw new CheckpointException(file, "has no tensor '" + key + "', which " + firstFile + " has; only "
                        + "checkpoints of one architecture can be averaged");
            }
            StoredTensor a = first.get(key);
            StoredTensor b = other.get(key);
            if (!Arrays.equals(a.shape(), b.shape()) || a.dtype().isFloatingPoint() != b.dtype().isFloatingPoint()) {
                throw new CheckpointException(file, "tensor '" + key + "' is " + b.dtype() + " " + Arrays.toString(b.shape())
                        + " but " + a.dtype() + " " + Arrays.toString(a.shape()) + " in " + firstFile);
            }
        }
        for (String key : other.keys()) {
            if (!first.contains(key)) {
                throw new CheckpointException(file, "has a tensor '" + key + "' that " + firstFile + " lacks; only "
                        + "checkpoints of one architecture can be averaged");
            }
        }
    }
}

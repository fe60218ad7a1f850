package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * oneDNN's linear layer, which libtorch contains but DJL does not expose: a five-line TorchScript module, written
 * in memory and loaded once per JVM, whose methods call libtorch's {@code mkldnn::_linear_pointwise} on dense
 * tensors. libtorch's own {@code linear} goes to oneMKL, which runs AVX2 code on AMD processors; oneDNN picks its
 * kernels by instruction set, not vendor (float32 2.2× faster on this project's AVX-512 machine, same float32
 * arithmetic in another summation order). The bfloat16 methods take bfloat16 weights made by {@link #toBfloat16}
 * and return float32; DJL never reads those arrays' data (it aborts on bfloat16).
 */
final class OneDnn {
    private static final String SOURCE = """
            class Kernels(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def linear(self: __torch__.Kernels, x: Tensor, w: Tensor, b: Tensor, attr: str) -> Tensor:
                return ops.mkldnn._linear_pointwise(x.contiguous(), w, b, attr, annotate(List[Optional[number]], []), "")
              def linear_nobias(self: __torch__.Kernels, x: Tensor, w: Tensor, attr: str) -> Tensor:
                return ops.mkldnn._linear_pointwise(x.contiguous(), w, None, attr, annotate(List[Optional[number]], []), "")
              def to_bf16(self: __torch__.Kernels, w: Tensor) -> Tensor:
                return torch.contiguous(torch.to(w, 15))
              def linear_bf16(self: __torch__.Kernels, x: Tensor, w: Tensor, b: Tensor, attr: str) -> Tensor:
                y = ops.mkldnn._linear_pointwise(torch.to(x.contiguous(), 15), w, b, attr, annotate(List[Optional[number]], []), "")
                return torch.to(y, 6)
              def linear_bf16_nobias(self: __torch__.Kernels, x: Tensor, w: Tensor, attr: str) -> Tensor:
                y = ops.mkldnn._linear_pointwise(torch.to(x.contiguous(), 15), w, None, attr, annotate(List[Optional[number]], []), "")
                return torch.to(y, 6)
            """;
    /** The pickled module object: an instance of {@code __torch__.Kernels} with {@code training = True}. */
    private static final byte[] DATA_PKL = {(byte) 0x80, 2, 'c', '_', '_', 't', 'o', 'r', 'c', 'h', '_', '_', '\n',
            'K', 'e', 'r', 'n', 'e', 'l', 's', '\n', ')', (byte) 0x81, '}', 'X', 8, 0, 0, 0,
            't', 'r', 'a', 'i', 'n', 'i', 'n', 'g', (byte) 0x88, 's', 'b', '.'};
    private static final byte[] CONSTANTS_PKL = {(byte) 0x80, 2, ')', '.'};

    private static volatile OneDnn instance;
    private static volatile String unavailable;

    private final PtSymbolBlock module;

    private OneDnn(PtSymbolBlock module) {
        this.module = module;
    }

    /** The kernels, loaded on first use; null when this libtorch lacks them (then the message says why). */
    static OneDnn get() {
        if (instance == null && unavailable == null) {
            synchronized (OneDnn.class) {
                if (instance == null && unavailable == null) {
                    try {
                        NDManager owner = NDManager.newBaseManager("PyTorch"); // lives as long as the JVM
                        instance = new OneDnn(JniUtils.loadModule((PtNDManager) owner,
                                new ByteArrayInputStream(archive()), false, false));
                    } catch (IOException | RuntimeException e) {
                        unavailable = e.getMessage();
                    }
                }
            }
        }
        return instance;
    }

    /** Why {@link #get} returned null, or null. */
    static String unavailableReason() {
        get();
        return unavailable;
    }

    /**
     * {@code x·wᵀ + b} in float32, {@code b} may be null; with {@code swish} followed by {@code y·σ(y)} in the same
     * pass. The result lives in x's manager.
     */
    NDArray linear(NDArray x, NDArray w, NDArray b, boolean swish) {
        return b == null ? run("linear_nobias", x, x, w, postOp(swish)) : run("linear", x, x, w, b, postOp(swish));
    }

    /** A bfloat16 copy of float32 weights or biases (for {@link #linearBfloat16}), in {@code w}'s manager. */
    NDArray toBfloat16(NDArray w) {
        return run("to_bf16", w, w);
    }

    /**
     * As {@link #linear} with x rounded to bfloat16, bfloat16 weights and bias (from {@link #toBfloat16}),
     * float32 accumulation and a float32 result.
     */
    NDArray linearBfloat16(NDArray x, NDArray w, NDArray b, boolean swish) {
        return b == null ? run("linear_bf16_nobias", x, x, w, postOp(swish))
                : run("linear_bf16", x, x, w, b, postOp(swish));
    }

    private static String postOp(boolean swish) {
        return swish ? "swish" : "none";
    }

    /** Runs {@code method} on tensors and strings; the result lives in {@code owner}'s manager. */
    private NDArray run(String method, NDArray owner, Object... args) {
        List<IValue> in = new ArrayList<>(args.length);
        try {
            for (Object a : args) {
                in.add(a instanceof String text ? IValue.from(text) : IValue.from((PtNDArray) a));
            }
            try (IValue out = IValueUtils.runMethod(module, method, in.toArray(IValue[]::new))) {
                return out.toTensor((PtNDManager) owner.getManager());
            }
        } finally {
            in.forEach(IValue::close);
        }
    }

    /** The TorchScript archive: the source above, the pickled object and its (empty) constants. */
    private static byte[] archive() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entry(zip, "kernels/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            entry(zip, "kernels/data.pkl", DATA_PKL);
            entry(zip, "kernels/constants.pkl", CONSTANTS_PKL);
            entry(zip, "kernels/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}

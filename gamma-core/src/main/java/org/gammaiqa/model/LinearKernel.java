package org.gammaiqa.model;

/**
 * Which library computes a linear layer's product: libtorch's linear (oneMKL on CPUs; autograd, half precision,
 * GPUs), oneDNN in float32 (inference on CPUs: same arithmetic, faster where oneMKL avoids AVX-512), or oneDNN
 * with bfloat16 inputs and weights and float32 accumulation (the opt-in fast mode).
 */
enum LinearKernel { LIBTORCH, ONEDNN_FP32, ONEDNN_BF16 }

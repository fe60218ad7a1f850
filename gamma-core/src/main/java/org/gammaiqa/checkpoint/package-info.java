/**
 * Reading and writing Gamma checkpoints without Python. {@link org.gammaiqa.checkpoint.CheckpointReader}
 * reads a {@link org.gammaiqa.checkpoint.StateDict} from torch.save zip files (the released
 * {@code {"params": state_dict}} layout), legacy pre-1.6 torch files and safetensors, memory-mapping the
 * stored tensors and gathering strided views; its pickles go through
 * {@link org.gammaiqa.checkpoint.SafeUnpickler}, which refuses every global not on its allow-list, so a
 * malicious file fails with a {@link org.gammaiqa.checkpoint.CheckpointException} and runs nothing. Every
 * reader works within {@link org.gammaiqa.checkpoint.CheckpointLimits} (docs/SECURITY.md).
 * {@link org.gammaiqa.checkpoint.TorchCheckpointWriter} and {@link org.gammaiqa.checkpoint.SafetensorsWriter}
 * write state dicts back, atomically, in forms {@code torch.load} and safetensors readers accept.
 */
package org.gammaiqa.checkpoint;

package org.gammaiqa.model;

/**
 * Multiply-adds of one forward pass, counted from the architecture: what a benchmark divides by
 * the time to report the fraction of the machine's matrix-multiply peak it reaches. ViT-B/16 with
 * six expert blocks costs ≈ 34 G per 224 crop as the original runs it (docs/MODEL.md, "Size and cost"); this project's
 * vision tower computes only the class token in its last block, which the head alone reads.
 */
public final class ComputeCost {
    private ComputeCost() {}

    /** Multiply-adds of the vision tower, adapter and head for one square crop of side {@code crop}, as run here. */
    public static long visionPerCrop(GammaConfig c, int crop) {
        return vision(c, crop, true);
    }

    /** The same as the original runs it: every token through every block. */
    public static long visionPerCropAsOriginal(GammaConfig c, int crop) {
        return vision(c, crop, false);
    }

    private static long vision(GammaConfig c, int crop, boolean classTokenOnlyInLastBlock) {
        int patch = c.vision().patchSize();
        long patches = (long) (crop / patch) * (crop / patch);
        TransformerConfig t = c.vision().transformer();
        long macs = patches * 3L * patch * patch * t.width();
        macs += transformer(t, patches + 1, classTokenOnlyInLastBlock);
        macs += (long) t.width() * c.embedDim() + 2L * c.embedDim() * c.adapterHidden() + (long) c.embedDim() * c.levels();
        return macs;
    }

    /** Multiply-adds of the text tower for {@code prompts} prompts at full context. */
    public static long textPerPromptSet(GammaConfig c, int prompts) {
        TransformerConfig t = c.text().transformer();
        long tokens = c.text().contextLength();
        return prompts * (transformer(t, tokens, false) + (long) t.width() * c.embedDim());
    }

    private static long transformer(TransformerConfig t, long tokens, boolean firstTokenOnlyInLastBlock) {
        long w = t.width();
        long macs = 0;
        for (int i = 0; i < t.layers(); i++) {
            int experts = t.expertsPerLayer().get(i);
            long rows = firstTokenOnlyInLastBlock && i == t.layers() - 1 ? 1 : tokens; // queries and MLP rows
            macs += 2 * tokens * w * w + 2 * rows * w * w;                 // k/v, then q and output projections
            macs += 2 * rows * tokens * w;                                 // scores and mixing
            macs += (1L + experts) * 2 * rows * w * t.hidden();            // shared (or plain) MLP and adaptive experts
            macs += rows * w * experts;                                    // router
        }
        return macs;
    }
}

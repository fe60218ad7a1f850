package org.gammaiqa.model;

/**
 * Multiply-adds of one forward pass, counted from the architecture: what a benchmark divides by
 * the time to report the fraction of the machine's matrix-multiply peak it reaches. ViT-B/16 with
 * six expert blocks costs ≈ 34 G per 224 crop (SPEC §6).
 */
public final class ComputeCost {
    private ComputeCost() {}

    /** Multiply-adds of the vision tower, adapter and head for one square crop of side {@code crop}. */
    public static long visionPerCrop(GammaConfig c, int crop) {
        int patch = c.vision().patchSize();
        long patches = (long) (crop / patch) * (crop / patch);
        TransformerConfig t = c.vision().transformer();
        long macs = patches * 3L * patch * patch * t.width();
        macs += transformer(t, patches + 1);
        macs += (long) t.width() * c.embedDim() + 2L * c.embedDim() * c.adapterHidden() + (long) c.embedDim() * c.levels();
        return macs;
    }

    /** Multiply-adds of the text tower for {@code prompts} prompts at full context. */
    public static long textPerPromptSet(GammaConfig c, int prompts) {
        TransformerConfig t = c.text().transformer();
        long tokens = c.text().contextLength();
        return prompts * (transformer(t, tokens) + (long) t.width() * c.embedDim());
    }

    private static long transformer(TransformerConfig t, long tokens) {
        long w = t.width();
        long macs = 0;
        for (int experts : t.expertsPerLayer()) {
            macs += 4 * tokens * w * w + 2 * tokens * tokens * w;          // q/k/v/out projections, scores and mixing
            macs += (1L + experts) * 2 * tokens * w * t.hidden();          // shared (or plain) MLP and adaptive experts
            macs += tokens * w * experts;                                  // router
        }
        return macs;
    }
}

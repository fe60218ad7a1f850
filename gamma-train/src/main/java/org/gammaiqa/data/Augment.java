package org.gammaiqa.data;

import java.util.SplittableRandom;
import org.gammaiqa.image.ImageOps;
import org.gammaiqa.image.RgbImage;

/**
 * A dataset's transforms (docs/MODEL.md, "Training recipe"), applied in the original's order: horizontal flip with p = 0.5, resize of the
 * short side, random square crop. At test time only the resize applies.
 *
 * @param hflip      flip left-right with probability ½ (training only)
 * @param resize     short side resized to this (torchvision's {@code Resize(n)} rounding, bicubic), 0 for none
 * @param randomCrop side of the random square crop (training only), 0 for none
 */
public record Augment(boolean hflip, int resize, int randomCrop) {
    public static final Augment NONE = new Augment(false, 0, 0);

    public Augment {
        if (resize < 0 || randomCrop < 0) {
            throw new IllegalArgumentException("augment resize " + resize + " and random_crop " + randomCrop + " must be ≥ 0");
        }
    }

    /**
     * The training crop of side {@code size}: flip, resize, then a random crop (or, without random_crop, the centre
     * crop; an image shorter than {@code size} is upscaled first, where the original would fail).
     */
    public RgbImage train(RgbImage image, int size, SplittableRandom rng) {
        RgbImage out = image;
        if (hflip && rng.nextBoolean()) {
            out = ImageOps.hflip(out);
        }
        out = ImageOps.upscaleToMinSide(test(out), size);
        int left;
        int top;
        if (randomCrop > 0) {
            if (randomCrop != size) {
                throw new IllegalArgumentException("augment.random_crop is " + randomCrop + " but the network takes "
                        + size + "x" + size + " crops; set random_crop: " + size);
            }
            top = rng.nextInt(out.height() - size + 1);
            left = rng.nextInt(out.width() - size + 1);
        } else {
            top = (out.height() - size) / 2;
            left = (out.width() - size) / 2;
        }
        return ImageOps.crop(out, left, top, size, size);
    }

    /** The test-time transform: only the short-side resize, if any. */
    public RgbImage test(RgbImage image) {
        if (resize == 0) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        if (Math.min(w, h) == resize) {
            return image;
        }
        return w <= h ? ImageOps.resizeBicubic(image, resize, (int) ((long) resize * h / w))
                : ImageOps.resizeBicubic(image, (int) ((long) resize * w / h), resize);
    }
}

package org.gammaiqa.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where the square crops of an image are taken. The paper's test protocol is {@link Random} with
 * ten crops; unlike the original, the positions come from a seeded generator, so an image gets the
 * same score on every run whatever else is scored with it.
 */
public sealed interface CropPolicy {
    /** Crops of side {@code size} inside a {@code width}×{@code height} image (both ≥ size). */
    List<CropBox> boxes(int width, int height, int size, long seed);

    /** How many crops the policy takes of every image. */
    int count();

    /** {@code n} uniformly random crops, positions drawn from {@code SplittableRandom(seed)}. */
    record Random(int n) implements CropPolicy {
        /** Checks that at least one crop is taken. */
        public Random {
            if (n < 1) {
                throw new IllegalArgumentException("need at least one crop, got " + n);
            }
        }

        @Override
        public List<CropBox> boxes(int width, int height, int size, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            List<CropBox> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int top = rng.nextInt(height - size + 1);
                int left = rng.nextInt(width - size + 1);
                out.add(new CropBox(left, top, size));
            }
            return out;
        }

        @Override
        public int count() {
            return n;
        }
    }

    /** One crop at the centre (offsets rounded like torchvision's CenterCrop). */
    record Center() implements CropPolicy {
        @Override
        public List<CropBox> boxes(int width, int height, int size, long seed) {
            return List.of(center(width, height, size));
        }

        @Override
        public int count() {
            return 1;
        }
    }

    /** The four corners and the centre, as torchvision's FiveCrop. */
    record Five() implements CropPolicy {
        @Override
        public List<CropBox> boxes(int width, int height, int size, long seed) {
            return List.of(new CropBox(0, 0, size), new CropBox(width - size, 0, size),
                    new CropBox(0, height - size, size), new CropBox(width - size, height - size, size),
                    center(width, height, size));
        }

        @Override
        public int count() {
            return 5;
        }
    }

    private static CropBox center(int width, int height, int size) {
        return new CropBox((int) Math.round((width - size) / 2.0), (int) Math.round((height - size) / 2.0), size);
    }

    /** Parses {@code N} (random crops), {@code center} or {@code five}; the error lists the accepted forms. */
    public static CropPolicy parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("center") || s.equals("centre")) {
            return new Center();
        }
        if (s.equals("five") || s.equals("five-crop")) {
            return new Five();
        }
        try {
            return new Random(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("crop policy '" + spec + "' is not a number of random crops, 'center' or 'five'");
        }
    }
}

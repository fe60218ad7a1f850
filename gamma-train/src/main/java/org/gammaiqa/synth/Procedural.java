package org.gammaiqa.synth;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.gammaiqa.image.RgbImage;

/** The kinds of reference image that {@code gamma synth} draws when it is given none. */
public enum Procedural {
    /** The classic dense dead-leaves model ({@link DeadLeaves}): cluttered discs, edges everywhere. */
    LEAVES {
        @Override public RgbImage draw(int width, int height, SplittableRandom rng) {
            return DeadLeaves.draw(width, height, rng);
        }
    },
    /** Photo-like scenes ({@link SceneLeaves}): from a few large objects to clutter, textures, depth of field. */
    SCENES {
        @Override public RgbImage draw(int width, int height, SplittableRandom rng) {
            return SceneLeaves.draw(width, height, rng);
        }
    };

    /** One image of {@code width}×{@code height}; the same generator state gives the same image. */
    public abstract RgbImage draw(int width, int height, SplittableRandom rng);

    /** Lower-case name as used on the command line and in file names. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code id} (case-insensitive). */
    public static Procedural parse(String id) {
        for (Procedural p : values()) {
            if (p.id().equalsIgnoreCase(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown reference style '" + id + "'; expected one of "
                + Arrays.stream(values()).map(Procedural::id).toList());
    }
}

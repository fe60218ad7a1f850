package org.gammaiqa.scoring;

import java.util.ArrayList;
import java.util.List;
import org.gammaiqa.image.RgbImage;

/** What became of one image: exactly one of {@code result} and {@code error} is non-null. */
public record Scored(ScoreResult result, Exception error) {
    public static Scored of(ScoreResult result) {
        return new Scored(result, null);
    }

    public static Scored failed(Exception error) {
        return new Scored(null, error);
    }

    public boolean failed() {
        return error != null;
    }

    /** The error's text: its message, else its class; null when the image was scored. */
    public String message() {
        return error == null ? null : describe(error);
    }

    /**
     * Scores decoded images together, their crops sharing forward passes; if that fails, one by one, so that one
     * bad image fails alone. One entry per image, in input order.
     */
    public static List<Scored> together(GammaScorer scorer, List<RgbImage> images, ScoringOptions options) {
        try {
            return scorer.score(images, options).stream().map(Scored::of).toList();
        } catch (RuntimeException together) {
            List<Scored> out = new ArrayList<>(images.size());
            for (RgbImage image : images) {
                try {
                    out.add(of(scorer.score(image, options)));
                } catch (RuntimeException e) {
                    out.add(failed(e));
                }
            }
            return out;
        }
    }

    /** The error text for a failure: the exception's message, else its class. */
    public static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}

package org.gammaiqa.train;

import java.nio.file.Path;
import org.gammaiqa.eval.EvalReport;

/** What a training run reports as it goes; the CLI draws a progress bar from it. The library itself never prints. */
public interface TrainingListener {
    /** Before the first step: the run's size, and where it starts (non-zero when resumed). */
    default void started(long firstStep, long totalSteps, int images) {}

    default void step(StepReport report) {}

    default void validated(int epoch, long step, EvalReport report, boolean best) {}

    default void saved(Path checkpoint, long step) {}

    /** One training step's numbers. {@code etaSeconds} is for the whole run at the current speed. */
    record StepReport(long step, long totalSteps, int epoch, double loss, double lr, double imagesPerSecond,
                      double etaSeconds) {}
}

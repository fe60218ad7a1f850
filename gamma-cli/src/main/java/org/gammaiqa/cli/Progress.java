package org.gammaiqa.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress line of {@code gamma score} on standard error: a bar, images done of the total,
 * images per second and the time left, redrawn in place at most five times a second. The total is
 * counted by a background walk of the same paths, so the first results do not wait for it.
 */
final class Progress {
    private static final long REDRAW_NANOS = 200_000_000L;
    private final PrintWriter err;
    private final AtomicLong total = new AtomicLong(-1);
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastWidth;

    private Progress(PrintWriter err) {
        this.err = err;
    }

    /** Starts counting the files {@code walk} yields, in a background thread. */
    static Progress start(PrintWriter err, Iterator<Path> walk) {
        Progress p = new Progress(err);
        Thread counter = new Thread(() -> {
            long n = 0;
            try {
                for (; walk.hasNext(); walk.next()) {
                    n++;
                }
                p.total.set(n);
            } catch (RuntimeException e) {
                // An unreadable directory: the scoring walk reports it; the bar just shows no total.
            }
        }, "gamma-progress-count");
        counter.setDaemon(true);
        counter.start();
        return p;
    }

    /** Whether standard error is a terminal (Linux: fd 2 links to a tty device); elsewhere false. */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    void update(long done, long failed) {
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        draw(done, failed, now);
    }

    /** The line for this state, e.g. {@code [#####-----]  50/100 images  7.3/s  ETA 0:07  1 failed}. */
    static String line(long done, long failed, long total, double seconds) {
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder s = new StringBuilder();
        if (total >= 0) {
            int width = 24;
            int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
            s.append('[').append("#".repeat(filled)).append("-".repeat(width - filled)).append("] ")
                    .append(done).append('/').append(total).append(" images");
        } else {
            s.append(done).append(" images (counting…)");
        }
        s.append(String.format("  %.1f/s", rate));
        if (total >= 0 && rate > 0) {
            long left = (long) Math.ceil(Math.max(0, total - done) / rate);
            s.append(String.format("  ETA %d:%02d:%02d", left / 3600, left / 60 % 60, left % 60));
        }
        if (failed > 0) {
            s.append("  ").append(failed).append(" failed");
        }
        return s.toString();
    }

    private void draw(long done, long failed, long now) {
        String s = line(done, failed, total.get(), (now - start) / 1e9);
        err.print("\r" + s + " ".repeat(Math.max(0, lastWidth - s.length())));
        lastWidth = s.length();
        err.flush();
    }

    /** Draws the final state and ends the line. */
    void finish(long done, long failed) {
        draw(done, failed, System.nanoTime());
        err.println();
    }
}

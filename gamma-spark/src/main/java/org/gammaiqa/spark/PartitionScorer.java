package org.gammaiqa.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.gammaiqa.image.ImageDecodeException;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.Scored;
import org.gammaiqa.scoring.ScoringOptions;

/**
 * Scores one partition in fixed-size batches of rows: each batch is decoded, scored in shared
 * forward passes (native memory released per call), and handed on as the input rows with score,
 * levels and error appended. Rows are pulled lazily, so a partition is never held whole.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private final GammaScoring settings;
    private final int column;
    /** Set when the column holds paths to read; null when it holds the image bytes. */
    private final HadoopConf pathsVia;
    /** The column that names an image in its errors (its path), or -1. */
    private final int nameColumn;

    PartitionScorer(GammaScoring settings, int column, HadoopConf pathsVia, int nameColumn) {
        this.settings = settings;
        this.column = column;
        this.pathsVia = pathsVia;
        this.nameColumn = nameColumn;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private Scoring scoring;
            private Iterator<Row> batch = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                if (!batch.hasNext() && rows.hasNext()) {
                    List<Row> next = new ArrayList<>(settings.batchSize());
                    while (next.size() < settings.batchSize() && rows.hasNext()) {
                        next.add(rows.next());
                    }
                    if (scoring == null) {
                        scoring = new Scoring();
                    }
                    batch = scoring.score(next).iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }
        };
    }

    /** What a task needs on its executor; made on the first batch, so an empty partition loads nothing. */
    private final class Scoring {
        private final GammaScorer scorer;
        private final ScoringOptions options = settings.scoringOptions();
        private final ImageDecoder decoder = settings.decoder();

        Scoring() {
            int threads = settings.threadsPerTask() > 0 ? settings.threadsPerTask()
                    : ExecutorThreads.perTask(SparkEnv.get().conf(), Runtime.getRuntime().availableProcessors());
            scorer = ScorerHolder.get(settings.model(), threads);
        }

        List<Row> score(List<Row> rows) {
            List<RgbImage> images = new ArrayList<>(rows.size());
            Exception[] errors = new Exception[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                try {
                    images.add(decoder.decode(bytes(rows.get(i)), source(rows.get(i))));
                } catch (IOException | RuntimeException e) {
                    errors[i] = e;
                }
            }
            Iterator<Scored> scored = Scored.together(scorer, images, options).iterator();
            List<Row> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Scored s = errors[i] == null ? scored.next() : Scored.failed(errors[i]);
                out.add(append(rows.get(i), s.result(), s.message()));
            }
            return out;
        }
    }

    private byte[] bytes(Row row) throws IOException {
        if (row.isNullAt(column)) {
            throw new ImageDecodeException("no image: column '" + settings.inputColumn() + "' is null in this row");
        }
        if (pathsVia == null) {
            return row.getAs(column);
        }
        Path path = new Path(row.getString(column));
        FileSystem fs = path.getFileSystem(pathsVia.get());
        long size = fs.getFileStatus(path).getLen();
        if (size > Integer.MAX_VALUE - 8) {
            throw new ImageDecodeException("cannot decode " + path + ": file is " + size
                    + " bytes, more than an image file can be here (2 GiB)");
        }
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    private String source(Row row) {
        return nameColumn >= 0 && !row.isNullAt(nameColumn) ? row.getString(nameColumn) : "column '" + settings.inputColumn() + "'";
    }

    private static Row append(Row row, ScoreResult result, String error) {
        Object[] values = new Object[row.length() + 3];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        if (result != null) {
            values[row.length()] = result.score();
            values[row.length() + 1] = result.levels().stream().mapToDouble(Double::doubleValue).toArray();
        }
        values[row.length() + 2] = error;
        return RowFactory.create(values);
    }
}

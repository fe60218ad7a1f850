package org.gammaiqa.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.scoring.CropPolicy;
import org.gammaiqa.scoring.ModelSource;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.scoring.ScoringProtocol;
import org.gammaiqa.text.PromptSet;
import org.gammaiqa.text.Scene;

/**
 * A DataFrame transformation that scores images with Gamma: it keeps every input column and adds
 * {@value #SCORE} (double), {@value #LEVELS} (the five level probabilities, bad → perfect) and
 * {@value #ERROR} (why a row could not be scored; null otherwise). The input column holds either
 * image paths (strings, read through Hadoop's file systems) or image bytes (the {@code content}
 * column of Spark's {@code binaryFile} source). Immutable and serialisable: build it on the driver.
 */
public final class GammaScoring implements Serializable {
    public static final String SCORE = "score";
    public static final String LEVELS = "levels";
    public static final String ERROR = "error";
    /** Images decoded and scored together in a task, unless {@link Builder#batchSize} says otherwise. */
    public static final int DEFAULT_BATCH = 8;

    private final ModelSpec model;
    private final String promptsName;
    private final ArrayList<String> prompts;
    private final String crops;
    private final long seed;
    private final int batchSize;
    private final int threadsPerTask;
    private final String inputColumn;
    private final long maxPixels;
    private final boolean exifOrientation;

    private GammaScoring(Builder b) {
        this.model = new ModelSpec(b.checkpoint, b.sha256, b.vocabulary, b.cropsPerPass);
        this.promptsName = b.prompts.name();
        this.prompts = new ArrayList<>(b.prompts.prompts());
        this.crops = b.crops;
        this.seed = b.seed;
        this.batchSize = b.batchSize;
        this.threadsPerTask = b.threadsPerTask;
        this.inputColumn = b.inputColumn;
        this.maxPixels = b.decode.maxPixels();
        this.exifOrientation = b.decode.applyExifOrientation();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The input rows with {@value #SCORE}, {@value #LEVELS} and {@value #ERROR} appended. Lazy, like
     * any transformation; a row whose image cannot be read or decoded gets an error and the rest go on.
     *
     * @throws IllegalArgumentException when the input column is missing or of another type, or an
     *                                  output column already exists
     */
    public Dataset<Row> transform(Dataset<Row> images) {
        StructType schema = images.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        if (!names.contains(inputColumn)) {
            throw new IllegalArgumentException("no column '" + inputColumn + "' to read images from; the columns are "
                    + names + " (choose one with inputColumn)");
        }
        for (String out : List.of(SCORE, LEVELS, ERROR)) {
            if (names.contains(out)) {
                throw new IllegalArgumentException("the input already has a column '" + out
                        + "', which scoring adds; rename or drop it first");
            }
        }
        DataType type = schema.apply(inputColumn).dataType();
        HadoopConf pathsVia;
        if (type.equals(DataTypes.StringType)) {
            pathsVia = new HadoopConf(images.sparkSession().sparkContext().hadoopConfiguration());
        } else if (type.equals(DataTypes.BinaryType)) {
            pathsVia = null;
        } else {
            throw new IllegalArgumentException("column '" + inputColumn + "' is " + type.simpleString()
                    + "; expected string (image paths) or binary (image bytes, as binaryFile's content)");
        }
        StructType out = schema
                .add(new StructField(SCORE, DataTypes.DoubleType, true, Metadata.empty()))
                .add(new StructField(LEVELS, DataTypes.createArrayType(DataTypes.DoubleType, false), true,
                        Metadata.empty()))
                .add(new StructField(ERROR, DataTypes.StringType, true, Metadata.empty()));
        // errors name the image by its path: the input column itself, or binaryFile's path column beside the bytes
        int column = names.indexOf(inputColumn);
        int nameColumn = pathsVia != null ? column
                : names.contains("path") && schema.apply("path").dataType().equals(DataTypes.StringType) ? names.indexOf("path") : -1;
        return images.mapPartitions(new PartitionScorer(this, column, pathsVia, nameColumn), Encoders.row(out));
    }

    ModelSpec model() {
        return model;
    }

    int batchSize() {
        return batchSize;
    }

    /** 0 when each executor derives it from its cores and concurrent tasks. */
    int threadsPerTask() {
        return threadsPerTask;
    }

    String inputColumn() {
        return inputColumn;
    }

    ScoringOptions scoringOptions() {
        return new ScoringOptions(new PromptSet(promptsName, prompts), CropPolicy.parse(crops), seed);
    }

    ImageDecoder decoder() {
        return new ImageDecoder(new ImageDecoder.DecodeOptions(maxPixels, exifOrientation));
    }

    /** Options with the protocol's defaults, as {@code gamma score}'s ({@link ScoringProtocol}). */
    public static final class Builder {
        private String checkpoint;
        private String sha256;
        private String vocabulary;
        private PromptSet prompts = ScoringProtocol.defaults().prompts();
        private String crops = "" + ScoringProtocol.CROPS;
        private long seed = ScoringProtocol.SEED;
        private int batchSize = DEFAULT_BATCH;
        private int threadsPerTask;
        private String inputColumn = "content";
        private ImageDecoder.DecodeOptions decode = ImageDecoder.DecodeOptions.defaults();
        private int cropsPerPass = ScoringProtocol.CROPS_PER_PASS;

        private Builder() {}

        /** A checkpoint the driver can read: its SHA-256 is computed here; executors must see the same paths. */
        public Builder model(Path checkpoint, Path vocabulary) {
            return model(checkpoint.toAbsolutePath().toString(), ModelSource.digest(checkpoint), vocabulary.toAbsolutePath().toString());
        }

        /**
         * A checkpoint as the executors see it (local path, a {@code --files} name, or shared storage),
         * with its expected SHA-256 ({@code sha256sum}).
         */
        public Builder model(String checkpoint, String sha256, String vocabulary) {
            this.checkpoint = checkpoint;
            this.sha256 = sha256;
            this.vocabulary = vocabulary;
            return this;
        }

        /** Most crops in one forward pass (default {@value ScoringProtocol#CROPS_PER_PASS}). */
        public Builder cropsPerPass(int n) {
            this.cropsPerPass = n;
            return this;
        }

        /** One of the scenes: generic, natural, aigc, underwater, face, aesthetic. */
        public Builder scene(String scene) {
            return prompts(Scene.parse(scene).prompts());
        }

        public Builder prompts(PromptSet prompts) {
            this.prompts = prompts;
            return this;
        }

        /** {@code N} seeded random crops, {@code center} or {@code five}. */
        public Builder crops(String policy) {
            CropPolicy.parse(policy);
            this.crops = policy;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Images decoded and scored together in a task (default {@value #DEFAULT_BATCH}). */
        public Builder batchSize(int images) {
            if (images < 1) {
                throw new IllegalArgumentException("batch size must be at least 1 image, got " + images);
            }
            this.batchSize = images;
            return this;
        }

        /** libtorch threads per task; by default an executor's cores divided by its concurrent tasks. */
        public Builder threadsPerTask(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads per task must be at least 1, got " + threads);
            }
            this.threadsPerTask = threads;
            return this;
        }

        /** The column holding image bytes or paths (default {@code content}, binaryFile's). */
        public Builder inputColumn(String column) {
            this.inputColumn = column;
            return this;
        }

        public Builder decodeOptions(ImageDecoder.DecodeOptions options) {
            this.decode = options;
            return this;
        }

        public GammaScoring build() {
            if (checkpoint == null) {
                throw new IllegalStateException("no model: call model(checkpoint, vocabulary) or model(path, sha256, vocabulary)");
            }
            return new GammaScoring(this);
        }
    }
}

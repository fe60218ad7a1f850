package org.gammaiqa.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gammaiqa.checkpoint.CheckpointException;
import org.gammaiqa.checkpoint.SafeText;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.model.ModelSummary;
import org.gammaiqa.scoring.ModelSource;
import org.gammaiqa.scoring.ScoringProtocol;
import org.gammaiqa.text.PromptSet;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The spark-submit entry point: scores every image under a folder, or every path in a table, and
 * writes one row per image (its path or table columns, score, levels, error) as Parquet or CSV.
 * Runs without spark-submit too: {@code java -cp … org.gammaiqa.spark.ScoreJob --master local[2] …}.
 */
@Command(name = "gamma-spark-score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a folder or a table of images with Gamma on Spark; write Parquet or CSV.",
                "Images that cannot be read or decoded get an error value and the job goes on.",
                "Exit status: 0 job done (see the failed count), 2 bad usage or model, 1 the job failed."})
public final class ScoreJob implements Callable<Integer> {
    static final class Input {
        @Option(names = "--input", required = true, paramLabel = "DIR",
                description = "Folder walked recursively for image files (jpg, jpeg, png, bmp, webp, tif, tiff, gif).")
        String folder;

        @Option(names = "--paths", required = true, paramLabel = "TABLE",
                description = "Parquet table (or a .csv file with a header) with a column of image paths.")
        String table;
    }

    @ArgGroup(multiplicity = "1")
    Input input;

    @Option(names = "--path-column", defaultValue = "path", description = "Column of image paths in --paths (default: ${DEFAULT-VALUE}).")
    String pathColumn;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where the results are written.")
    String output;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "parquet|csv",
            description = "Output format; CSV spreads the levels over p_bad … p_perfect (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--overwrite", description = "Replace an existing output folder.")
    boolean overwrite;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Gamma checkpoint as the executors see it: local, a --files name, or shared storage.")
    String model;

    @Option(names = "--model-sha256", paramLabel = "HEX",
            description = "Expected SHA-256 of the checkpoint (default: computed from --model on the driver).")
    String modelSha256;

    @Option(names = "--vocab", required = true, paramLabel = "FILE", description = "CLIP vocabulary bpe_simple_vocab_16e6.txt.gz, as the executors see it.")
    String vocab;

    @Option(names = "--scene", defaultValue = ScoringProtocol.SCENE, description = "Prompt scene: generic, natural, aigc, underwater, face, aesthetic (default: ${DEFAULT-VALUE}).")
    String scene;

    @Option(names = "--prompts", paramLabel = "FILE", description = "Custom level prompts read on the driver: five lines, bad → perfect (overrides --scene).")
    Path prompts;

    @Option(names = "--crops", defaultValue = "" + ScoringProtocol.CROPS, paramLabel = "N|center|five", description = "Crop policy, as gamma score's (default: ${DEFAULT-VALUE}).")
    String crops;

    @Option(names = "--seed", defaultValue = "" + ScoringProtocol.SEED, description = "Seed of the random crops (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", defaultValue = "" + GammaScoring.DEFAULT_BATCH, description = "Images scored together in a task (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--crops-per-pass", defaultValue = "" + ScoringProtocol.CROPS_PER_PASS, description = "Most crops in one forward pass (default: ${DEFAULT-VALUE}).")
    int cropsPerPass;

    @Option(names = "--threads-per-task", paramLabel = "N", description = "libtorch threads per task (default: executor cores ÷ concurrent tasks).")
    Integer threadsPerTask;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions the paths are spread over (default: 2 × Spark's default parallelism).")
    Integer partitions;

    @Option(names = "--max-pixels", defaultValue = "" + ScoringProtocol.MAX_PIXELS, description = "Refuse images with more pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--exif-orientation", description = "Apply EXIF orientation (the original does not; off for parity).")
    boolean exifOrientation;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master when run without spark-submit, e.g. local[2].")
    String master;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int exit;
        try {
            exit = commandLine().execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            System.err.println("gamma-spark-score: " + (e instanceof OutOfMemoryError ? "out of memory" : "stack overflow")
                    + " on the driver");
            exit = 2;
        }
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        System.exit(exit);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ScoreJob());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            Throwable cause = e;
            while (cause instanceof SparkException && cause.getCause() != null) {
                cause = cause.getCause(); // a failed task's own exception, not Spark's report around it
            }
            commandLine.getErr().println("gamma-spark-score: " + SafeText.line(cause.getMessage()));
            return e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof CheckpointException ? 2 : 1;
        });
        return cli;
    }

    @Override
    public Integer call() throws Exception {
        if (!format.equals("parquet") && !format.equals("csv")) {
            throw new IllegalArgumentException("unknown format '" + format + "', expected parquet or csv");
        }
        if (Files.isRegularFile(Path.of(model))) {
            ModelSummary.of(Path.of(model)); // a bad checkpoint is refused here, before any executor tries to load it
        }
        GammaScoring.Builder options = GammaScoring.builder()
                .model(model, modelSha256 != null ? modelSha256.toLowerCase(Locale.ROOT) : driverDigest(model), vocab)
                .cropsPerPass(cropsPerPass)
                .crops(crops)
                .seed(seed)
                .batchSize(batch)
                .decodeOptions(new ImageDecoder.DecodeOptions(maxPixels, exifOrientation));
        options = prompts != null ? options.prompts(PromptSet.fromFile(prompts)) : options.scene(scene);
        if (threadsPerTask != null) {
            options.threadsPerTask(threadsPerTask);
        }
        SparkSession.Builder session = SparkSession.builder().appName("gamma-score");
        if (master != null) {
            session.master(master);
        }
        boolean standalone = master != null && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = session.getOrCreate();
        if (standalone) {
            spark.sparkContext().setLogLevel("WARN"); // run without spark-submit's log4j setup; an existing session's is left alone
        }
        long start = System.nanoTime();
        Dataset<Row> paths = input.folder != null ? imagesUnder(spark, input.folder) : table(spark, input.table);
        int n = partitions != null ? partitions : 2 * spark.sparkContext().defaultParallelism();
        Dataset<Row> scored = options.inputColumn(input.folder != null ? "path" : pathColumn).build()
                .transform(paths.repartition(n));
        write(format.equals("csv") ? spreadLevels(scored) : scored);
        Dataset<Row> written = read(spark, output);
        long rows = written.count();
        long failed = written.where(col(GammaScoring.ERROR).isNotNull()).count();
        spec.commandLine().getOut().printf("gamma-spark-score: %d images, %d failed, written to %s in %.1f s%n",
                rows, failed, output, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static String driverDigest(String checkpoint) {
        try {
            return ModelSource.digest(Path.of(checkpoint));
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read the checkpoint " + checkpoint + " on the driver ("
                    + e.getCause().getClass().getSimpleName() + ") to compute its SHA-256; pass --model-sha256 with the output of sha256sum "
                    + checkpoint, e);
        }
    }

    /**
     * Paths of the image files under a folder, listed on the driver through Hadoop's file systems.
     * (Spark's binaryFile source would leave out empty files; here they get an error row like any bad image.)
     */
    private static Dataset<Row> imagesUnder(SparkSession spark, String folder) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(folder);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        List<String> paths = new ArrayList<>();
        for (RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true); files.hasNext(); ) {
            org.apache.hadoop.fs.Path file = files.next().getPath();
            if (ImageDecoder.hasImageExtension(file.getName())) {
                paths.add(file.toString());
            }
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no image files under " + folder + "; expected names ending in "
                    + ImageDecoder.FILE_EXTENSIONS.stream().sorted().toList() + " (a table of paths goes to --paths)");
        }
        return spark.createDataset(paths, Encoders.STRING()).toDF("path");
    }

    private static Dataset<Row> table(SparkSession spark, String table) {
        return table.toLowerCase(Locale.ROOT).endsWith(".csv")
                ? spark.read().option("header", "true").csv(table)
                : spark.read().parquet(table);
    }

    /** The levels array as one column per level, named like gamma score's CSV header. */
    private static Dataset<Row> spreadLevels(Dataset<Row> scored) {
        List<Column> columns = new ArrayList<>();
        for (String name : scored.columns()) {
            if (name.equals(GammaScoring.LEVELS)) {
                for (int i = 0; i < PromptSet.LEVELS.size(); i++) {
                    columns.add(element_at(col(name), i + 1).as("p_" + PromptSet.LEVELS.get(i)));
                }
            } else {
                columns.add(col(name));
            }
        }
        return scored.select(columns.toArray(Column[]::new));
    }

    private void write(Dataset<Row> results) {
        results.write().mode(overwrite ? "overwrite" : "errorifexists").option("header", "true").format(format).save(output);
    }

    private Dataset<Row> read(SparkSession spark, String folder) {
        return spark.read().option("header", "true").format(format).load(folder);
    }
}

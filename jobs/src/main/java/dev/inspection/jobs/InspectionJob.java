package dev.inspection.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.inspection.anomaly.AnomalySpec;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.model.ModelPackage;
import dev.inspection.model.OnnxSignature;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inspection job: lists the images and videos under the inputs (and in manifests), plans long videos into
 * segments, runs every model on each image and sampled frame on the executors, and writes the regions, image_scores,
 * heatmap_summaries, errors and runs tables under the output root, partitioned by run date, with heatmap overlays of
 * the anomalous images beside them.
 *
 * <p>Exit codes: 0 success, 1 the run failed, 2 bad arguments or a model that cannot work, 3 an input or the output
 * cannot be reached, 4 more inputs failed than {@code --max-failure-rate} allows.
 */
public final class InspectionJob {

  private static final Logger LOG = LoggerFactory.getLogger(InspectionJob.class);

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_UNREACHABLE = 3;
  public static final int EXIT_TOO_MANY_FAILURES = 4;

  /** More inputs ended in the errors table than {@code --max-failure-rate} allows; the tables were written. */
  public static final class TooManyFailuresException extends RuntimeException {
    TooManyFailuresException(String message) {
      super(message);
    }
  }

  private final SparkSession spark;
  private final InspectArgs args;

  public InspectionJob(SparkSession spark, InspectArgs args) {
    this.spark = spark;
    this.args = args;
  }

  /**
   * What one run did, as written to the runs table.
   *
   * @param inputsListed files listed and manifest rows
   * @param imagesProcessed still images (and manifest frame images) inspected
   * @param videosProcessed video files with at least one frame inspected
   * @param framesProcessed frames sampled from video files and inspected
   * @param inputsFailed inputs with a row in the errors table (a damaged video can also have frames inspected)
   * @param modelRuns images and frames put through a model, once per image and model: inference is never repeated
   * @param anomalousPerModel images and frames judged anomalous, by anomaly model name
   */
  public record Result(
      String runId,
      long inputsListed,
      long imagesProcessed,
      long videosProcessed,
      long framesProcessed,
      long inputsFailed,
      long regionsWritten,
      Map<String, Long> regionsPerConcept,
      long modelRuns,
      Map<String, Long> anomalousPerModel) {

    public long anomalousImages() {
      return anomalousPerModel.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public static void main(String[] argv) {
    System.exit(run(argv));
  }

  /** Parses, runs and reports; returns the process exit code. */
  public static int run(String[] argv) {
    InspectArgs args;
    try {
      if (argv.length == 0 || List.of(argv).contains("--help")) {
        System.out.println(InspectArgs.USAGE);
        return argv.length == 0 ? EXIT_USAGE : EXIT_OK;
      }
      args = InspectArgs.parse(argv);
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(InspectArgs.USAGE);
      return EXIT_USAGE;
    }
    SparkSession.Builder builder = SparkSession.builder().appName("visual-inspection " + args.runDate());
    args.conf().forEach((k, v) -> builder.config(k.startsWith("spark.") ? k : "spark.hadoop." + k, v));
    SparkSession spark = builder.getOrCreate();
    try {
      Result result = new InspectionJob(spark, args).execute();
      System.out.println(summary(result));
      return EXIT_OK;
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      return EXIT_USAGE;
    } catch (TooManyFailuresException e) {
      System.err.println("error: " + e.getMessage());
      return EXIT_TOO_MANY_FAILURES;
    } catch (FileNotFoundException e) {
      System.err.println("error: " + e.getMessage());
      return EXIT_UNREACHABLE;
    } catch (IOException e) {
      System.err.println("error: cannot reach storage: " + e.getMessage());
      return EXIT_UNREACHABLE;
    } catch (RuntimeException e) {
      LOG.error("The inspection run failed", e);
      System.err.println("error: the inspection run failed: " + e);
      return EXIT_FAILED;
    } finally {
      spark.stop();
    }
  }

  public Result execute() throws IOException, UsageException {
    Instant started = Instant.now();
    String runId = UUID.randomUUID().toString();
    // Microsecond timestamps: INT96, Spark's default, is deprecated and read differently by Trino and DuckDB.
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    List<ModelPackage> detectorModels = new ArrayList<>();
    List<DetectorSpec> detectorSpecs = new ArrayList<>();
    for (String uri : args.detectors()) {
      ModelPackage pkg = Storage.readModel(uri, hadoop);
      detectorSpecs.add(resolve("detector", pkg, () -> DetectorSpec.resolve(pkg, signature(pkg), args.detection())));
      detectorModels.add(pkg);
    }
    List<ModelPackage> anomalyModels = new ArrayList<>();
    List<AnomalySpec> anomalySpecs = new ArrayList<>();
    for (String uri : args.anomalyModels()) {
      ModelPackage pkg = Storage.readModel(uri, hadoop);
      anomalySpecs.add(resolve("anomaly model", pkg, () -> AnomalySpec.resolve(pkg, signature(pkg))));
      anomalyModels.add(pkg);
    }

    List<Row> modelRows = new ArrayList<>();
    for (int i = 0; i < detectorModels.size(); i++) {
      DetectorSpec d = detectorSpecs.get(i);
      modelRows.add(RowFactory.create("detector", d.name(), d.version(), d.sha256(), detectorModels.get(i).uri()));
    }
    for (int i = 0; i < anomalyModels.size(); i++) {
      AnomalySpec a = anomalySpecs.get(i);
      modelRows.add(RowFactory.create("anomaly", a.name(), a.version(), a.sha256(), anomalyModels.get(i).uri()));
    }

    spark.sparkContext().setJobGroup("listing", "List the inputs under " + args.inputs(), false);
    List<Work> inputs = new ArrayList<>();
    Storage.listInputs(args.inputs(), hadoop).forEach(file -> inputs.add(Work.listed(file)));
    for (String manifest : args.manifests()) {
      inputs.addAll(Manifests.read(spark, manifest));
    }
    LOG.info("Run {} for {}: {} inputs listed ({} videos) under {} {}", runId, args.runDate(), inputs.size(),
        inputs.stream().filter(Work::isVideo).count(), args.inputs(), args.manifests());

    String date = args.runDate().toString();
    Broadcast<InspectPartition.Payload> payload =
        jsc.broadcast(
            new InspectPartition.Payload(
                detectorModels,
                detectorSpecs,
                anomalyModels,
                anomalySpecs,
                new HadoopConf(hadoop),
                args.batchSize(),
                args.maxImagePixels(),
                args.intraOpThreads(),
                args.sampling(),
                args.videoSegmentMs(),
                args.decodeThreads(),
                tablePath(Tables.HEATMAPS) + "/run_date=" + date));
    LongAccumulator modelRuns = spark.sparkContext().longAccumulator("images through a model");
    Dataset<Row> inspections = null;
    try {
      List<Work> work = planVideos(inputs, payload, jsc);
      List<List<Work>> tasks = tasks(work, jsc.defaultParallelism(), args.batchSize());
      JavaRDD<Row> rows =
          jsc.parallelize(tasks, tasks.size())
              .flatMap(List::iterator)
              .mapPartitions(new InspectPartition(payload, modelRuns));
      inspections = spark.createDataFrame(rows, Tables.INSPECTION).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> inspected = inspections.where(col("error_stage").isNull());
      Dataset<Row> regions = flatten(inspected, "regions", runId);
      Dataset<Row> anomalies = flatten(inspected, "anomalies", runId);
      Dataset<Row> imageScores =
          anomalies.select(
              "run_id", "source_uri", "video_id", "frame_number", "frame_time_ms", "metadata", "model_name",
              "model_version", "model_sha256", "score", "raw_score", "threshold", "is_anomalous", "concept_name",
              "run_date");
      Dataset<Row> heatmapSummaries =
          anomalies.select(
              "run_id", "source_uri", "video_id", "frame_number", "frame_time_ms", "metadata", "image_width",
              "image_height", "model_name",
              "model_version", "model_sha256", "max", "mean", "std", "p95", "p99", "anomalous_area_fraction",
              "blob_count", "blobs", "grid_width", "grid_height", "grid", "heatmap_uri", "run_date");
      Dataset<Row> errors =
          inspections
              .where(col("error_stage").isNotNull())
              .select(
                  sourceColumns(
                      runId, col("error_stage").as("stage"), col("error_class"), col("error_message").as("message")))
              .withColumn("run_date", lit(Date.valueOf(args.runDate())));

      // Running the models once, caching every inspection row: each table is then written from the cache.
      spark.sparkContext().setJobGroup("inference", "Inspect " + work.size() + " images and video segments", false);
      inspections.count();
      spark.sparkContext().setJobGroup("writing", "Write the tables for " + date, false);
      int files = outputFiles(work.size(), tasks.size());
      if (!detectorModels.isEmpty()) {
        write(regions.coalesce(files), Tables.REGIONS);
      }
      if (!anomalyModels.isEmpty()) {
        write(imageScores.coalesce(files), Tables.IMAGE_SCORES);
        write(heatmapSummaries.coalesce(files), Tables.HEATMAP_SUMMARIES);
      }
      write(errors.coalesce(files), Tables.ERRORS);

      Row counts =
          inspections
              .agg(
                  count(when(col("error_stage").isNull().and(not(col("from_video"))), true)),
                  countDistinct(when(col("error_stage").isNull().and(col("from_video")), col("source_uri"))),
                  count(when(col("error_stage").isNull().and(col("from_video")), true)),
                  countDistinct(when(col("error_stage").isNotNull(), col("source_uri"))))
              .first();
      Map<String, Long> perConcept = counts(regions, "concept_name");
      Result result =
          new Result(
              runId,
              inputs.size(),
              counts.getLong(0),
              counts.getLong(1),
              counts.getLong(2),
              counts.getLong(3),
              perConcept.values().stream().mapToLong(Long::longValue).sum(),
              perConcept,
              modelRuns.value(),
              counts(anomalies.where(col("is_anomalous")), "model_name"));
      String tooMany = failureRateExceeded(result.inputsFailed(), result.inputsListed(), args.maxFailureRate());
      writeRun(result, started, modelRows, tooMany == null ? "SUCCEEDED" : "FAILED", tooMany);
      if (tooMany != null) {
        throw new TooManyFailuresException(tooMany);
      }
      LOG.info("Run {} done: {} images and {} frames of {} videos through {} model(s), {} model runs", runId,
          result.imagesProcessed(), result.framesProcessed(), result.videosProcessed(), modelRows.size(),
          result.modelRuns());
      return result;
    } catch (TooManyFailuresException e) {
      throw e; // recorded in runs already, with every table written
    } catch (Exception e) { // Spark rethrows Hadoop's IOExceptions undeclared, through Scala
      // A run that stops half way is recorded too, with what it listed and why it stopped; its tables may be partial.
      Result failed = new Result(runId, inputs.size(), 0, 0, 0, 0, 0, Map.of(), modelRuns.value(), Map.of());
      try {
        writeRun(failed, started, modelRows, "FAILED", String.valueOf(e));
      } catch (RuntimeException unrecorded) {
        e.addSuppressed(unrecorded);
      }
      throw e;
    } finally {
      if (inspections != null) {
        inspections.unpersist();
      }
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * Opens every video on the executors and splits the long ones into segments: one unit of work per segment. Images
   * and failed inputs pass through as they are.
   */
  private List<Work> planVideos(List<Work> inputs, Broadcast<InspectPartition.Payload> payload, JavaSparkContext jsc) {
    List<Work> videos = inputs.stream().filter(w -> w.failure() == null && w.isVideo()).toList();
    if (videos.isEmpty()) {
      return inputs;
    }
    spark.sparkContext().setJobGroup("planning", "Open and plan " + videos.size() + " videos", false);
    List<Work> work = new ArrayList<>(inputs.stream().filter(w -> w.failure() != null || !w.isVideo()).toList());
    int slices = Math.min(videos.size(), 4 * jsc.defaultParallelism());
    work.addAll(jsc.parallelize(videos, slices).flatMap(new InspectPartition.PlanVideos(payload)).collect());
    return work;
  }

  /**
   * The inference tasks: each video segment alone (a segment is many frames), and the images in runs of consecutive
   * inputs, enough of them to keep every core busy, each a few batches long.
   */
  static List<List<Work>> tasks(List<Work> work, int parallelism, int batchSize) {
    List<List<Work>> tasks = new ArrayList<>();
    List<Work> images = new ArrayList<>();
    for (Work w : work) {
      if (w.failure() == null && w.isVideo()) {
        tasks.add(List.of(w));
      } else {
        images.add(w);
      }
    }
    int parts = partitions(images.size(), parallelism, batchSize);
    for (int i = 0; i < parts; i++) {
      List<Work> part = images.subList(i * images.size() / parts, (i + 1) * images.size() / parts);
      if (!part.isEmpty() || tasks.isEmpty()) {
        tasks.add(new ArrayList<>(part));
      }
    }
    return tasks;
  }

  /** Why the run counts as failed for its share of failed inputs, or null. */
  static String failureRateExceeded(long failed, long listed, double maxRate) {
    if (listed == 0 || failed / (double) listed <= maxRate) {
      return null;
    }
    return String.format(java.util.Locale.ROOT, "%d of %d inputs failed (%.1f%%), more than --max-failure-rate %s allows;"
        + " see errors/", failed, listed, 100.0 * failed / listed, maxRate);
  }

  /** Enough partitions to keep every core busy, each at least a few batches long. */
  static int partitions(int inputs, int parallelism, int batchSize) {
    if (inputs == 0) {
      return 1;
    }
    int byWork = (int) Math.ceil(inputs / (double) (4 * batchSize));
    return Math.max(1, Math.min(inputs, Math.max(parallelism, byWork)));
  }

  /**
   * Files per table and run: about one per 100,000 images, never one per inference task (a night of small files is
   * slow to query). The tables are written from the cached inspections, so this does not narrow the inference.
   */
  static int outputFiles(int inputs, int partitions) {
    return Math.max(1, Math.min(partitions, (int) Math.ceil(inputs / 100_000.0)));
  }

  /** Replaces this run date's partition of the table and leaves every other date as it was. */
  private void write(Dataset<Row> table, String name) throws IOException {
    if (table.isEmpty()) {
      // Dynamic overwrite replaces only the partitions it writes: with no rows, the date's old rows would stay.
      Path partition = new Path(tablePath(name) + "/run_date=" + args.runDate());
      partition.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(partition, true);
      return;
    }
    table
        .write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy("run_date")
        .parquet(tablePath(name));
  }

  private void writeRun(Result r, Instant started, List<Row> modelRows, String status, String message) {
    Row run =
        RowFactory.create(
            r.runId(),
            Timestamp.from(started),
            Timestamp.from(Instant.now()),
            r.inputsListed(),
            r.imagesProcessed(),
            r.videosProcessed(),
            r.framesProcessed(),
            r.inputsFailed(),
            r.regionsWritten(),
            r.anomalousImages(),
            Tables.array(modelRows),
            args.sampling().toString(),
            status,
            message,
            Date.valueOf(args.runDate()));
    spark
        .createDataFrame(List.of(run), Tables.RUN)
        .coalesce(1)
        .write()
        .mode(SaveMode.Append)
        .partitionBy("run_date")
        .parquet(tablePath(Tables.RUNS));
  }

  /** The columns every table but runs starts with: the run, and the image or frame's source; then {@code more}. */
  private static Column[] sourceColumns(String runId, Column... more) {
    List<Column> columns = new ArrayList<>(List.of(
        lit(runId).as("run_id"), col("source_uri"), col("video_id"), col("frame_number"), col("frame_time_ms"),
        col("metadata")));
    columns.addAll(List.of(more));
    return columns.toArray(Column[]::new);
  }

  /** One row per element of an inspection's array column, with the image's columns before and the run date after. */
  private Dataset<Row> flatten(Dataset<Row> inspected, String arrayColumn, String runId) {
    return inspected
        .select(
            sourceColumns(
                runId, col("image_width"), col("image_height"), explode(col(arrayColumn)).as("element")))
        .select(col("*"), col("element.*"))
        .drop("element")
        .withColumn("run_date", lit(Date.valueOf(args.runDate())));
  }

  /** Rows per value of a column, sorted by value. */
  private static Map<String, Long> counts(Dataset<Row> table, String column) {
    Map<String, Long> counts = new TreeMap<>();
    for (Row r : table.groupBy(column).count().collectAsList()) {
      counts.put(r.getString(0), r.getLong(1));
    }
    return counts;
  }

  private static OnnxSignature signature(ModelPackage pkg) {
    try {
      return OnnxSignature.read(pkg.onnx());
    } catch (ai.onnxruntime.OrtException e) {
      throw new IllegalArgumentException("ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
  }

  /**
   * Resolves a model's spec on the driver: a model that cannot work stops the run before any work, with a message
   * that names the model and the reason.
   */
  private static <T> T resolve(String kind, ModelPackage pkg, java.util.function.Supplier<T> resolver)
      throws UsageException {
    try {
      T spec = resolver.get();
      LOG.info("{} {}: {}", kind, pkg.uri(), spec);
      return spec;
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      throw new UsageException(message.contains(pkg.uri()) ? message : kind + " " + pkg.uri() + ": " + message, e);
    }
  }

  private String tablePath(String table) {
    String root = args.output().endsWith("/") ? args.output() : args.output() + "/";
    return root + table;
  }

  static String summary(Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(
        "Run %s: %d inputs listed, %d images and %d frames of %d videos inspected, %d inputs with errors (see errors/),"
            + " %d regions%n",
        r.runId(), r.inputsListed(), r.imagesProcessed(), r.framesProcessed(), r.videosProcessed(), r.inputsFailed(),
        r.regionsWritten()));
    r.regionsPerConcept().forEach((concept, n) -> sb.append(String.format("  %-20s %d%n", concept, n)));
    r.anomalousPerModel().forEach((model, n) -> sb.append(String.format(
        "  %s: %d of %d images and frames anomalous (image_scores/, heatmaps/)%n", model, n,
        r.imagesProcessed() + r.framesProcessed())));
    return sb.toString().stripTrailing();
  }
}

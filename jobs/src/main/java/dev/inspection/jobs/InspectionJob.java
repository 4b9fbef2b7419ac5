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
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

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
   * @param inputsSkipped listed inputs that an earlier run inspected with the same models ({@code --incremental})
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
      long inputsSkipped,
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
    Map<String, String> config = args.resolved();
    StringBuilder shown = new StringBuilder();
    config.forEach((k, v) -> shown.append(String.format("%n  %s = %s", k, v)));
    LOG.info("Run {} for {}, configuration:{}", runId, args.runDate(), shown);
    configureSession();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    List<ModelPackage> detectorModels = new ArrayList<>();
    List<DetectorSpec> detectorSpecs = new ArrayList<>();
    for (InspectArgs.ModelRef ref : args.detectors()) {
      ModelPackage pkg = readPinned("detector", ref, hadoop);
      detectorSpecs.add(resolve("detector", pkg, () -> DetectorSpec.resolve(pkg, signature(pkg), args.detection())));
      detectorModels.add(pkg);
    }
    List<ModelPackage> anomalyModels = new ArrayList<>();
    List<AnomalySpec> anomalySpecs = new ArrayList<>();
    for (InspectArgs.ModelRef ref : args.anomalyModels()) {
      ModelPackage pkg = readPinned("anomaly model", ref, hadoop);
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
    String modelsKey = Ledger.modelsKey(modelRows, args.sampling());

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
    LongAccumulator workDone = spark.sparkContext().longAccumulator("units of work started");
    long listed = 0;
    long skipped = 0;
    List<JavaRDD<?>> cached = new ArrayList<>();
    Dataset<Row> inspections = null;
    try (Progress progress = new Progress(spark.sparkContext(), modelRuns, modelRows.size(), workDone, 15)) {
      progress.phase("listing", "List the inputs under " + args.inputs() + " " + args.manifests());
      JavaRDD<Work> inputs = listInputs(jsc, payload).persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(inputs);
      listed = inputs.count();
      JavaRDD<Work> todo = inputs;
      if (args.incremental()) {
        todo = Ledger.unprocessed(spark, tablePath(Tables.PROCESSED_INPUTS), args.runDate(), modelsKey, inputs)
            .persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(todo);
        skipped = listed - todo.count();
      }
      LOG.info("Run {}: {} inputs listed, {} already inspected by an earlier run with the same models", runId, listed,
          skipped);

      JavaRDD<Work> work = planVideos(todo, payload, jsc, progress).persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(work);
      TaskLayout layout = layout(work, jsc.defaultParallelism(), args.batchSize());
      JavaRDD<Row> rows = arrange(work, layout).mapPartitions(new InspectPartition(payload, modelRuns, workDone));
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
      progress.inference("Inspect " + layout.work() + " images and video segments in " + layout.tasks() + " tasks",
          layout.work());
      inspections.count();
      progress.inferenceDone();
      progress.phase("writing", "Write the tables for " + date + " under " + args.output());
      int files = outputFiles(layout.work(), layout.tasks());
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
              listed,
              skipped,
              counts.getLong(0),
              counts.getLong(1),
              counts.getLong(2),
              counts.getLong(3),
              perConcept.values().stream().mapToLong(Long::longValue).sum(),
              perConcept,
              modelRuns.value(),
              counts(anomalies.where(col("is_anomalous")), "model_name"));
      String tooMany =
          failureRateExceeded(result.inputsFailed(), listed - skipped, args.maxFailureRate());
      // Only a successful run vouches for its inputs; after a failed one the date's inputs are all inspected again.
      Dataset<Row> ledger = Ledger.rows(spark, todo, errors, runId, modelsKey, args.runDate());
      write((tooMany == null ? ledger : ledger.limit(0)).coalesce(files), Tables.PROCESSED_INPUTS);
      writeRun(result, started, modelRows, config, tooMany == null ? "SUCCEEDED" : "FAILED", tooMany);
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
      // A run that stops half way is recorded too, with what it listed and why it stopped. The tables it had not
      // committed are as the last successful run left them.
      Result failed = new Result(runId, listed, skipped, 0, 0, 0, 0, 0, Map.of(), modelRuns.value(), Map.of());
      try {
        writeRun(failed, started, modelRows, config, "FAILED", String.valueOf(e));
      } catch (RuntimeException unrecorded) {
        e.addSuppressed(unrecorded);
      }
      throw e;
    } finally {
      if (inspections != null) {
        inspections.unpersist();
      }
      cached.forEach(JavaRDD::unpersist);
    }
  }

  /** Reads a model and checks it against its pinned SHA-256, before any work. */
  private static ModelPackage readPinned(String kind, InspectArgs.ModelRef ref, Configuration hadoop)
      throws IOException, UsageException {
    ModelPackage pkg = Storage.readModel(ref.uri(), hadoop);
    if (ref.sha256() != null && !ref.sha256().equals(pkg.sha256())) {
      throw new UsageException(kind + " " + pkg.uri() + " has sha256 " + pkg.sha256() + ", but the configuration pins "
          + ref.sha256() + ": not running a model other than the pinned one");
    }
    return pkg;
  }

  /**
   * The Parquet timestamp type, and how tables are committed: on S3 through the S3A staging committer (nothing of a
   * write is visible before its job commits), elsewhere through Hadoop's file output committer, whose renames are
   * atomic on HDFS and local disks. A {@code --conf} setting of either class wins.
   */
  private void configureSession() {
    // Microsecond timestamps: INT96, Spark's default, is deprecated and read differently by Trino and DuckDB.
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    boolean s3a = onS3();
    spark.conf().set(COMMIT_PROTOCOL, args.conf().getOrDefault(COMMIT_PROTOCOL, s3a
        ? "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol"
        : "org.apache.spark.sql.execution.datasources.SQLHadoopMapReduceCommitProtocol"));
    spark.conf().set(PARQUET_COMMITTER, args.conf().getOrDefault(PARQUET_COMMITTER, s3a
        ? "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter"
        : "org.apache.parquet.hadoop.ParquetOutputCommitter"));
  }

  private static final String COMMIT_PROTOCOL = "spark.sql.sources.commitProtocolClass";
  private static final String PARQUET_COMMITTER = "spark.sql.parquet.output.committer.class";

  private boolean onS3() {
    return args.output().startsWith("s3a://");
  }

  /**
   * The inputs as distributed work: the files under each input (the driver lists the top of each input, executors the
   * folders below it), once each where inputs overlap, and the rows of each manifest with their files' sizes and
   * modification times, for the ledger.
   */
  private JavaRDD<Work> listInputs(JavaSparkContext jsc, Broadcast<InspectPartition.Payload> payload)
      throws IOException, UsageException {
    Storage.TopLevel top = Storage.topLevel(args.inputs(), spark.sparkContext().hadoopConfiguration());
    JavaRDD<InputFile> below =
        jsc.parallelize(top.folders(), Math.max(1, Math.min(top.folders().size(), 4 * jsc.defaultParallelism())))
            .flatMap(folder -> Storage.listTree(folder, payload.value().hadoopConf().get()).iterator());
    JavaRDD<Work> work =
        jsc.parallelize(top.files(), 1)
            .union(below)
            .keyBy(InputFile::uri)
            .reduceByKey((a, b) -> a)
            .values()
            .map(Work::listed);
    for (String manifest : args.manifests()) {
      work = work.union(Manifests.read(spark, manifest).map(w -> w.failure() == null
          ? new Work(Storage.stat(w.file(), payload.value().hadoopConf().get()), w.origin(), null, null)
          : w));
    }
    return work;
  }

  /**
   * Opens every video on the executors, spread over the cores, and splits the long ones into segments: one unit of
   * work per segment. Images and failed inputs pass through as they are.
   */
  private JavaRDD<Work> planVideos(
      JavaRDD<Work> inputs, Broadcast<InspectPartition.Payload> payload, JavaSparkContext jsc, Progress progress) {
    JavaRDD<Work> videos = inputs.filter(w -> w.failure() == null && w.isVideo());
    progress.phase("planning", "Open and plan the videos");
    long count = videos.count();
    if (count == 0) {
      return inputs;
    }
    int slices = (int) Math.min(count, 4L * jsc.defaultParallelism());
    return inputs.filter(w -> w.failure() != null || !w.isVideo())
        .union(videos.repartition(slices).flatMap(new InspectPartition.PlanVideos(payload)));
  }

  /**
   * Which task inspects what: each video segment alone (a segment is many frames), and the images (and failed inputs)
   * in runs, enough of them to keep every core busy, each a few batches long.
   */
  record TaskLayout(long segments, long images, int imageTasks) implements java.io.Serializable {
    static TaskLayout of(long segments, long images, int parallelism, int batchSize) {
      int imageTasks = images == 0 && segments > 0 ? 0 : partitions(images, parallelism, batchSize);
      return new TaskLayout(segments, images, imageTasks);
    }

    int tasks() {
      return (int) segments + imageTasks;
    }

    long work() {
      return segments + images;
    }

    int segmentTask(long index) {
      return (int) index;
    }

    int imageTask(long index) {
      return (int) (segments + index * imageTasks / images);
    }
  }

  private static TaskLayout layout(JavaRDD<Work> work, int parallelism, int batchSize) {
    Map<Boolean, Long> kinds = work.map(InspectionJob::isSegment).countByValue();
    return TaskLayout.of(kinds.getOrDefault(true, 0L), kinds.getOrDefault(false, 0L), parallelism, batchSize);
  }

  private static boolean isSegment(Work w) {
    return w.failure() == null && w.segment() != null;
  }

  /** Moves each unit of work to its task, numbering segments and images apart. */
  private static JavaRDD<Work> arrange(JavaRDD<Work> work, TaskLayout layout) {
    JavaPairRDD<Integer, Work> segments =
        work.filter(InspectionJob::isSegment).zipWithIndex()
            .mapToPair(t -> new Tuple2<>(layout.segmentTask(t._2()), t._1()));
    JavaPairRDD<Integer, Work> images =
        work.filter(w -> !isSegment(w)).zipWithIndex()
            .mapToPair(t -> new Tuple2<>(layout.imageTask(t._2()), t._1()));
    return segments.union(images).partitionBy(new TaskPartitioner(layout.tasks())).values();
  }

  /** Partition i holds the work keyed i. */
  private static final class TaskPartitioner extends Partitioner {
    private final int tasks;

    TaskPartitioner(int tasks) {
      this.tasks = tasks;
    }

    @Override
    public int numPartitions() {
      return tasks;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TaskPartitioner p && p.tasks == tasks;
    }

    @Override
    public int hashCode() {
      return tasks;
    }
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
  static int partitions(long inputs, int parallelism, int batchSize) {
    if (inputs == 0) {
      return 1;
    }
    int byWork = (int) Math.ceil(inputs / (double) (4 * batchSize));
    return (int) Math.max(1, Math.min(inputs, Math.max(parallelism, byWork)));
  }

  /**
   * Files per table and run: about one per 100,000 images, never one per inference task (a night of small files is
   * slow to query). The tables are written from the cached inspections, so this does not narrow the inference.
   */
  static int outputFiles(long inputs, int partitions) {
    return Math.max(1, Math.min(partitions, (int) Math.ceil(inputs / 100_000.0)));
  }

  /**
   * Replaces this run date's partition of the table and leaves every other date as it was. Nothing of the new rows is
   * visible before the write's job commits, and a write that fails before then leaves the old rows in place: on S3 the
   * staging committer uploads each task's files as multipart uploads that only the job commit completes (replacing
   * the partition's old files then); elsewhere dynamic partition overwrite stages the files and moves them in at job
   * commit.
   */
  private void write(Dataset<Row> table, String name) throws IOException {
    if (table.isEmpty()) {
      // Only the partitions written are replaced: with no rows, the date's old rows would stay.
      Path partition = new Path(tablePath(name) + "/run_date=" + args.runDate());
      partition.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(partition, true);
      return;
    }
    committed(table, "replace").parquet(tablePath(name));
  }

  /** A writer of date partitions that replaces or appends to what a partition holds. */
  private DataFrameWriter<Row> committed(Dataset<Row> table, String conflictMode) {
    DataFrameWriter<Row> writer = table.write().partitionBy("run_date");
    if (!onS3()) {
      return conflictMode.equals("replace")
          ? writer.mode(SaveMode.Overwrite).option("partitionOverwriteMode", "dynamic")
          : writer.mode(SaveMode.Append);
    }
    // S3A's committers cannot do dynamic overwrite; the partitioned staging committer replaces the partitions it
    // writes (conflict mode replace) when the job commits, and leaves the others.
    writer.mode(SaveMode.Append)
        .option("mapreduce.outputcommitter.factory.scheme.s3a", "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory")
        .option("fs.s3a.committer.name", "partitioned")
        .option("fs.s3a.committer.staging.conflict-mode", conflictMode);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path staging = new Path(hadoop.get(STAGING_PATH, "tmp/staging"));
    if (!staging.isAbsolute() && "file".equals(FileSystem.getDefaultUri(hadoop).getScheme())) {
      // Task commits hand their pending uploads to the job commit through this folder on the cluster filesystem (HDFS
      // on most clusters). Hadoop's default, tmp/staging, is relative: with no cluster filesystem it would resolve to
      // each executor's own working folder, where the driver never looks, and the job commit would find nothing. A
      // folder under the temporary directory is right in local mode and on one machine; a cluster without HDFS sets
      // fs.s3a.committer.staging.tmp.path to a folder every node shares.
      writer.option(STAGING_PATH, new Path(System.getProperty("java.io.tmpdir"), "inspection-s3a-staging").toUri()
          .toString());
    }
    return writer;
  }

  private static final String STAGING_PATH = "fs.s3a.committer.staging.tmp.path";

  private void writeRun(
      Result r, Instant started, List<Row> modelRows, Map<String, String> config, String status, String message) {
    Row run =
        RowFactory.create(
            r.runId(),
            Timestamp.from(started),
            Timestamp.from(Instant.now()),
            r.inputsListed(),
            r.inputsSkipped(),
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
            scala.jdk.javaapi.CollectionConverters.asScala(config),
            Date.valueOf(args.runDate()));
    committed(spark.createDataFrame(List.of(run), Tables.RUN).coalesce(1), "append").parquet(tablePath(Tables.RUNS));
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
        "Run %s: %d inputs listed (%d inspected by an earlier run), %d images and %d frames of %d videos inspected,"
            + " %d inputs with errors (see errors/), %d regions%n",
        r.runId(), r.inputsListed(), r.inputsSkipped(), r.imagesProcessed(), r.framesProcessed(), r.videosProcessed(),
        r.inputsFailed(), r.regionsWritten()));
    r.regionsPerConcept().forEach((concept, n) -> sb.append(String.format("  %-20s %d%n", concept, n)));
    r.anomalousPerModel().forEach((model, n) -> sb.append(String.format(
        "  %s: %d of %d images and frames anomalous (image_scores/, heatmaps/)%n", model, n,
        r.imagesProcessed() + r.framesProcessed())));
    return sb.toString().stripTrailing();
  }
}

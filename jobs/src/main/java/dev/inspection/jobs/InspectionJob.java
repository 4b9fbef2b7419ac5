package dev.inspection.jobs;

import dev.inspection.jobs.annotate.AnnotatedCopies;
import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.inspect.InspectTask;
import dev.inspection.jobs.inspect.ModelSet;
import dev.inspection.jobs.inspect.TaskPayload;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.list.Ledger;
import dev.inspection.jobs.list.Listing;
import dev.inspection.jobs.merge.Merge;
import dev.inspection.jobs.output.OutputRoot;
import dev.inspection.jobs.output.ResultTables;
import dev.inspection.jobs.output.RowBuilder;
import dev.inspection.jobs.output.RunCounts;
import dev.inspection.jobs.output.TableWriter;
import dev.inspection.jobs.output.Tables;
import dev.inspection.jobs.plan.Planner;
import dev.inspection.jobs.plan.TaskAssignment;
import dev.inspection.jobs.report.Report;
import dev.inspection.jobs.run.Addition;
import dev.inspection.jobs.run.RunFiles;
import dev.inspection.jobs.work.Input;
import dev.inspection.jobs.work.WorkUnit;
import dev.inspection.tile.Tiling;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inspection job: lists the images and videos under the inputs (and in manifests), plans them into work units
 * (a long video into segments), inspects each unit with every model on the executors, merges what was inspected in
 * parts, and writes the regions, tracks, image_scores, heatmap_summaries, errors, processed_inputs and runs tables
 * under the output root, partitioned by run date, with heatmap overlays of the anomalous images beside them.
 *
 * <p>Exit codes: 0 success, 1 the run failed, 2 bad arguments or a model that cannot work, 3 an input or the output
 * cannot be reached, 4 more inputs failed than {@code --max-failure-rate} allows, 5 the run ran out of memory.
 */
public final class InspectionJob {

    private static final Logger LOG = LoggerFactory.getLogger(InspectionJob.class);

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_UNREACHABLE = 3;
    public static final int EXIT_TOO_MANY_FAILURES = 4;
    public static final int EXIT_OUT_OF_MEMORY = 5;

    /** The files of a format the job does not read that the run's log names, of all it counts. */
    static final int UNSUPPORTED_NAMED = 20;

    /** More inputs ended in the errors table than {@code --max-failure-rate} allows; the tables were written. */
    public static final class TooManyFailuresException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyFailuresException(String message) {
            super(message);
        }
    }

    /**
     * What one run did, as written to the runs table.
     *
     * @param inputsListed files listed and manifest rows
     * @param inputsSkipped listed inputs that an earlier run inspected with the same models ({@code --incremental})
     * @param inputsUnsupported files under the inputs of a format the job does not read: not inputs, not inspected
     * @param imagesProcessed still images (and manifest frame images) inspected
     * @param videosProcessed video files with at least one frame inspected
     * @param framesProcessed frames sampled from video files and inspected
     * @param inputsFailed inputs with a row in the errors table (a damaged video can also have frames inspected)
     * @param modelRuns images and frames put through a model, once per image and model: inference is never repeated
     * @param anomalousPerModel images and frames judged anomalous, by anomaly model name
     * @param phaseSeconds seconds the run spent in each phase (listing, planning, inference, writing), in order
     * @param report the URI of the date's report ({@code --report}), or null
     */
    public record Result(
            String runId,
            long inputsListed,
            long inputsSkipped,
            long inputsUnsupported,
            long imagesProcessed,
            long videosProcessed,
            long framesProcessed,
            long inputsFailed,
            long regionsWritten,
            Map<String, Long> regionsPerConcept,
            long modelRuns,
            Map<String, Long> anomalousPerModel,
            Map<String, Double> phaseSeconds,
            String report) {

        public long anomalousImages() {
            return anomalousPerModel.values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }

        /** A run that stopped before its tables were written: what it had listed, and no results. */
        static Result stopped(String runId, long listed, long skipped, long unsupported, long modelRuns) {
            return new Result(
                    runId, listed, skipped, unsupported, 0, 0, 0, 0, 0, Map.of(), modelRuns, Map.of(), Map.of(), null);
        }

        Result withPhases(Map<String, Double> seconds, String report) {
            return new Result(
                    runId,
                    inputsListed,
                    inputsSkipped,
                    inputsUnsupported,
                    imagesProcessed,
                    videosProcessed,
                    framesProcessed,
                    inputsFailed,
                    regionsWritten,
                    regionsPerConcept,
                    modelRuns,
                    anomalousPerModel,
                    seconds,
                    report);
        }

        /** Seconds of the inference phase. */
        public double inferenceSeconds() {
            return phaseSeconds.getOrDefault(Progress.INFERENCE, 0.0);
        }

        /** Seconds outside the inference phase: the run's fixed costs and its writing. */
        public double secondsOutsideInference() {
            return phaseSeconds.entrySet().stream()
                    .filter(e -> !e.getKey().equals(Progress.INFERENCE))
                    .mapToDouble(Map.Entry::getValue)
                    .sum();
        }
    }

    private final SparkSession spark;
    private final InspectArgs args;
    /** The evaluation's part of the run, or null for an inspection. */
    private final Addition addition;

    private final JavaSparkContext jsc;
    private final TableWriter writer;
    private final String runId = UUID.randomUUID().toString();
    /** The files the run writes beside the tables, committed with the table that names them, or removed. */
    private final RunFiles runFiles;

    private final Instant started = Instant.now();
    private final List<Runnable> cached = new ArrayList<>();
    private final Configuration hadoop;
    /** The date's overlay folder. */
    private final String overlays;
    /** Images put through a model, one per image and model; and the work units tasks have started on. */
    private final LongAccumulator modelRuns;

    private final LongAccumulator unitsStarted;
    private Broadcast<HadoopConf> hadoopConf;
    /** The run's tiling, resolved from the configuration and the detectors' packages: the one every stage sees. */
    private Tiling tiling;

    /** Whether the run has made (or tried to make) its report, and the report's URI once made. */
    private boolean reportTried;

    private String reportUri;

    private long listed;
    private long skipped;
    private long unsupported;

    public InspectionJob(SparkSession spark, InspectArgs args) {
        this(spark, args, null);
    }

    /** A run of the inspection with what another job adds to it (see {@link Addition}); null adds nothing. */
    public InspectionJob(SparkSession spark, InspectArgs args, Addition addition) {
        this.spark = spark;
        this.args = args;
        this.addition = addition;
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.writer = new TableWriter(spark, args.output(), args.runDate());
        this.hadoop = spark.sparkContext().hadoopConfiguration();
        this.runFiles = new RunFiles(runId, hadoop);
        this.overlays = writer.datePath(Tables.HEATMAPS);
        this.modelRuns = spark.sparkContext().longAccumulator("images through a model");
        this.unitsStarted = spark.sparkContext().longAccumulator("work units started");
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Parses, checks the output, runs and reports; returns the process exit code. */
    public static int run(String[] argv) {
        return run(
                argv,
                "inspection",
                InspectArgs.USAGE,
                args -> {
                    if (args.labels() != null || args.calibrate()) {
                        throw new UsageException("--labels, --calibrate and --calibrate-fpr are the evaluation's"
                                + " options: run scripts/evaluate.sh, or spark-submit with --class "
                                + EvaluationJob.class.getName());
                    }
                },
                (spark, args) -> new InspectionJob(spark, args).execute());
    }

    /** A job over the inspection's settings: the inspection itself, or the evaluation. */
    interface Job {
        Result execute(SparkSession spark, InspectArgs args) throws IOException, UsageException;
    }

    /** What a job checks of its settings before Spark starts. */
    interface Check {
        void check(InspectArgs args) throws UsageException;
    }

    /**
     * Parses, checks the output, starts Spark, runs the job and reports; returns the process exit code: the inspection's
     * and the evaluation's, which share their options, exit codes and failure handling.
     */
    static int run(String[] argv, String what, String usage, Check check, Job job) {
        InspectArgs args;
        try {
            if (argv.length == 0 || List.of(argv).contains("--help")) {
                System.out.println(usage);
                return argv.length == 0 ? EXIT_USAGE : EXIT_OK;
            }
            args = InspectArgs.parse(argv);
            check.check(args);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage);
            return EXIT_USAGE;
        }
        try {
            OutputRoot.requireWritable(args.output(), args.hadoopConfiguration());
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            return EXIT_UNREACHABLE;
        }
        SparkSession spark = startSpark("visual-inspection " + args.runDate(), args.conf());
        try {
            Result result = job.execute(spark, args);
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
        } catch (Exception | Error e) { // SparkException among them, checked but undeclared through Scala
            LOG.error("The {} run failed", what, e);
            System.err.println("error: the " + what + " run failed: " + e);
            return outOfMemory(e) ? EXIT_OUT_OF_MEMORY : EXIT_FAILED;
        } finally {
            spark.stop();
        }
    }

    /** Spark, with the given Spark settings and Hadoop settings ({@code --conf}) over spark-submit's. */
    static SparkSession startSpark(String appName, Map<String, String> conf) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        conf.forEach((k, v) -> builder.config(k.startsWith("spark.") ? k : "spark.hadoop." + k, v));
        return builder.getOrCreate();
    }

    /**
     * The run, stage by stage: list the inputs, plan them into work units, inspect the units on the executors, merge
     * what was inspected in parts, write the date's tables, and record the run. A run that fails at any stage is
     * recorded too, and leaves the date's committed tables and overlays as they were.
     */
    public Result execute() throws IOException, UsageException {
        LOG.info("Run {} for {}, configuration:{}", runId, args.runDate(), shown(args.resolved()));
        writer.configureSession(args.conf());
        ModelSet models = ModelSet.load(args, hadoop);
        tiling =
                args.tiling(models.detectors().stream().map(ModelSet.Model::pkg).toList());
        LOG.info("Run {}: tiling {}", runId, tiling);
        InspectArgs.Sources sources = addition == null ? args.sources() : addition.prepare(models);
        try (Progress progress = new Progress(spark.sparkContext(), modelRuns, models.size(), unitsStarted, 15)) {
            hadoopConf = jsc.broadcast(new HadoopConf(hadoop));
            JavaRDD<Input> inputs = list(sources, models, progress);
            JavaRDD<WorkUnit> units = plan(inputs, progress);
            Dataset<Row> inspections = inspect(units, models, progress);
            RunCounts counts = RunCounts.of(inspections, jsc.defaultParallelism());
            progress.inferenceDone();
            Result result = write(inspections, counts, inputs, models, progress);
            String evaluation = addition == null
                    ? null
                    : addition.write(
                            inspections, models, runId, runFiles, tooManyFailures(result) == null, progress::step);
            try {
                record(result.withPhases(progress.phaseSeconds(), null), models, evaluation);
            } finally {
                report(progress); // the runs row is written: the report says how the run ended
            }
            Map<String, Double> phases = progress.phaseSeconds();
            LOG.info("Run {}: seconds per phase {}", runId, phases);
            return result.withPhases(phases, reportUri);
        } catch (TooManyFailuresException e) {
            throw e; // recorded in runs already, with every table written, and reported
        } catch (Exception | Error e) { // Spark rethrows Hadoop's IOExceptions undeclared, through Scala
            recordFailure(e, models);
            report(null);
            throw e;
        } finally {
            runFiles.abort(); // what no committed table names
            cached.forEach(Runnable::run);
        }
    }

    /**
     * With {@code --report}, makes the date's report from its committed tables, once, after the run's row is written
     * (whether it succeeded or failed). A report that cannot be made does not change how the run ended: the log says
     * why, and how to make it again.
     */
    private void report(Progress progress) {
        if (!args.report().report() || reportTried) {
            return;
        }
        reportTried = true;
        if (progress != null) {
            progress.phase("reporting", "Make the report of " + args.runDate());
        }
        try {
            reportUri = Report.make(spark, args.output(), args.runDate(), args.report(), runFiles);
        } catch (Exception | Error e) { // a report of a run that ran out of memory may run out too
            LOG.error(
                    "Run {}: the report could not be made; make it again with scripts/report.sh --output {} --run-date {}",
                    runId,
                    args.output(),
                    args.runDate(),
                    e);
        }
    }

    /** Lists the inputs; with {@code --incremental}, only those no earlier successful run inspected. */
    private JavaRDD<Input> list(InspectArgs.Sources sources, ModelSet models, Progress progress)
            throws IOException, UsageException {
        progress.phase("listing", "List the inputs under " + sources);
        Listing.Listed found = Listing.inputs(spark, sources.inputs(), sources.manifests(), hadoopConf);
        persist(found.files());
        JavaRDD<Input> inputs = persist(found.inputs());
        Listing.Summary summary = found.summary(UNSUPPORTED_NAMED);
        listed = summary.inputs();
        unsupported = summary.unsupported();
        if (unsupported > 0) {
            List<String> first = summary.firstUnsupported();
            LOG.warn(
                    "Run {}: {} file(s) under the inputs are of a format the job does not read and are not inspected"
                            + " (runs.inputs_unsupported){}: {}",
                    runId,
                    unsupported,
                    unsupported > first.size() ? ", the first " + first.size() : "",
                    String.join(", ", first));
        }
        if (args.incremental()) {
            inputs = persist(Ledger.unprocessed(
                    spark, writer.path(Tables.PROCESSED_INPUTS.name()), args.runDate(), modelsKey(models), inputs));
            skipped = listed - inputs.count();
        }
        LOG.info(
                "Run {}: {} inputs listed, {} already inspected by an earlier run with the same models",
                runId,
                listed,
                skipped);
        return inputs;
    }

    /** Plans the inputs into work units, the videos opened on the executors. */
    private JavaRDD<WorkUnit> plan(JavaRDD<Input> inputs, Progress progress) {
        progress.phase("planning", "Open and plan the videos");
        Planner planner = new Planner(
                hadoopConf, args.resources(), args.videoSegmentMs(), args.tracking(), args.sampling(), tiling);
        return persist(planner.plan(inputs, 4 * jsc.defaultParallelism()));
    }

    /**
     * Runs every model once on every unit and merges what was inspected in parts, caching the inspection rows: each
     * table is then written from the cache. The cache is filled by the first job that reads it, the one that counts it.
     */
    private Dataset<Row> inspect(JavaRDD<WorkUnit> units, ModelSet models, Progress progress) throws IOException {
        TaskPayload payload = new TaskPayload(
                models,
                new HadoopConf(hadoop),
                args.resources(),
                args.sampling(),
                tiling,
                runFiles.runFolder(overlays),
                args.tracking(),
                addition == null ? null : addition.pixelLabels());
        TaskAssignment tasks = TaskAssignment.of(
                units, jsc.defaultParallelism(), args.resources().batchSize());
        JavaRDD<Row> rows =
                tasks.arrange(units).mapPartitions(new InspectTask(jsc.broadcast(payload), modelRuns, unitsStarted));
        Dataset<Row> inspections =
                spark.createDataFrame(rows, Tables.INSPECTION).persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(inspections::unpersist);
        progress.inference(
                "Inspect " + tasks.units() + " images and video segments in " + tasks.tasks() + " tasks",
                tasks.units());
        return merge(inspections);
    }

    /**
     * Puts together what tasks inspected in parts (a tiled photo's tiles, a video's tracks in its segments), cached for
     * the writes that follow.
     */
    private Dataset<Row> merge(Dataset<Row> taskRows) {
        Dataset<Row> merged = Merge.inspections(taskRows, tiling, args.tracking());
        if (merged != taskRows) {
            merged.persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(merged::unpersist);
        }
        return merged;
    }

    /**
     * Writes the date's tables, each committed on its own: the result tables of the run's models, errors, and the
     * ledger rows of a successful run; returns what the run did. Once heatmap_summaries is committed, the date's
     * overlays are the ones it names.
     */
    private Result write(
            Dataset<Row> inspections, RunCounts counts, JavaRDD<Input> inspected, ModelSet models, Progress progress)
            throws IOException {
        progress.phase("writing", "Write the tables for " + args.runDate() + " under " + args.output());
        ResultTables tables = ResultTables.of(inspections, runId, args.runDate());
        int files = outputFiles(listed - skipped);
        if (!models.detectors().isEmpty()) {
            String annotated = writer.datePath(AnnotatedCopies.FOLDER);
            String copies = runFiles.runFolder(annotated);
            if (args.report().annotate()) {
                annotate(tables.regions(), copies, counts.regions(), progress);
            }
            replaceDate(Tables.REGIONS, tables.regions(), counts.regions(), files);
            runFiles.commit(annotated); // without --annotate, the date's copies of an earlier run are removed
            if (args.tracking().enabled()) {
                writer.replaceDate(Tables.TRACKS, tables.tracks(), files);
            } else {
                writer.replaceDateWithNoRows(Tables.TRACKS); // a rerun of the date without tracking clears its tracks
            }
        }
        if (!models.anomalyModels().isEmpty()) {
            replaceDate(Tables.IMAGE_SCORES, tables.anomalies(), counts.verdicts(), files);
            replaceDate(Tables.HEATMAP_SUMMARIES, tables.anomalies(), counts.verdicts(), files);
            runFiles.commit(overlays);
        }
        Dataset<Row> errors = tables.errors();
        long errorRows = counts.errorRows();
        Addition.Errors added = addition == null ? null : addition.errors(inspections, runId);
        if (added != null && added.count() > 0) {
            errors = errors.unionByName(added.rows());
            errorRows += added.count();
        }
        replaceDate(Tables.ERRORS, errors, errorRows, files);
        Result result = result(counts);
        // Only a successful run vouches for its inputs; after a failed one the date's inputs are all inspected again.
        if (tooManyFailures(result) != null) {
            writer.replaceDateWithNoRows(Tables.PROCESSED_INPUTS);
        } else {
            writer.replaceDate(
                    Tables.PROCESSED_INPUTS,
                    counts.errorRows() == 0
                            ? Ledger.rows(spark, inspected, runId, modelsKey(models), args.runDate())
                            : Ledger.rows(spark, inspected, tables.errors(), runId, modelsKey(models), args.runDate()),
                    files,
                    listed - skipped);
        }
        return result;
    }

    /** Writes the pictures with regions, the regions drawn on them, into the run's folder of the date's copies. */
    private void annotate(Dataset<Row> regions, String folder, long regionCount, Progress progress) {
        if (regionCount == 0) {
            return;
        }
        progress.phase("annotating", "Draw the regions on the pictures they were found on, into " + folder);
        AnnotatedCopies.Written written = AnnotatedCopies.write(
                regions,
                folder,
                hadoopConf,
                args.sampling(),
                args.resources().maxImagePixels(),
                TaskAssignment.TASKS_PER_CORE * jsc.defaultParallelism());
        LOG.info(
                "Run {}: {} annotated pictures in {}{}",
                runId,
                written.pictures(),
                folder,
                written.unreadable() == 0
                        ? ""
                        : "; " + written.unreadable() + " pictures could not be read again (see the log above)");
        progress.phase("writing", "Write the tables for " + args.runDate() + " under " + args.output());
    }

    /** Replaces the date's rows of a table, without a Spark job where the run has none for it. */
    private void replaceDate(Tables.Table table, Dataset<Row> rows, long count, int files) throws IOException {
        if (count == 0) {
            writer.replaceDateWithNoRows(table);
        } else {
            writer.replaceDate(table, rows, files, count);
        }
    }

    /** Records the run: SUCCEEDED, or FAILED when more inputs failed than allowed, its tables written all the same. */
    private void record(Result result, ModelSet models, String evaluation) {
        String tooMany = tooManyFailures(result);
        appendRun(result, models, evaluation, tooMany == null ? "SUCCEEDED" : "FAILED", tooMany);
        if (tooMany != null) {
            throw new TooManyFailuresException(tooMany);
        }
        LOG.info(
                "Run {} done: {} images and {} frames of {} videos through {} model(s), {} model runs",
                runId,
                result.imagesProcessed(),
                result.framesProcessed(),
                result.videosProcessed(),
                models.size(),
                result.modelRuns());
    }

    /**
     * Records a run that stopped half way, with what it had listed and why it stopped. The tables it had not committed
     * are as the last successful run left them, and so are the files beside them: the run's own are removed when it
     * ends.
     */
    private void recordFailure(Throwable e, ModelSet models) {
        try {
            appendRun(
                    Result.stopped(runId, listed, skipped, unsupported, modelRuns.value()),
                    models,
                    null,
                    "FAILED",
                    String.valueOf(e));
        } catch (RuntimeException | Error unrecorded) {
            e.addSuppressed(unrecorded);
        }
    }

    /** Why the run counts as failed for its share of failed inputs, or null. */
    private String tooManyFailures(Result result) {
        return failureRateExceeded(result.inputsFailed(), listed - skipped, args.maxFailureRate());
    }

    private Result result(RunCounts counts) {
        return new Result(
                runId,
                listed,
                skipped,
                unsupported,
                counts.images(),
                counts.videos(),
                counts.frames(),
                counts.failedInputs(),
                counts.regions(),
                counts.regionsPerConcept(),
                modelRuns.value(),
                counts.anomalousPerModel(),
                Map.of(),
                null);
    }

    /** Appends the run's row to the runs table. */
    private void appendRun(Result r, ModelSet models, String evaluation, String status, String message) {
        Row run = RowBuilder.of(Tables.RUNS.schema())
                .set("run_id", r.runId())
                .set("started_at", Timestamp.from(started))
                .set("finished_at", Timestamp.from(Instant.now()))
                .set("inputs_listed", r.inputsListed())
                .set("inputs_skipped", r.inputsSkipped())
                .set("inputs_unsupported", r.inputsUnsupported())
                .set("images_processed", r.imagesProcessed())
                .set("videos_processed", r.videosProcessed())
                .set("frames_processed", r.framesProcessed())
                .set("inputs_failed", r.inputsFailed())
                .set("regions_written", r.regionsWritten())
                .set("anomalous_images", r.anomalousImages())
                .set("models", Tables.array(models.rows()))
                .set("sampling", args.sampling().toString())
                .set("tiling", tiling.toString())
                .set("tracking", args.tracking().toString())
                .set("evaluation", evaluation)
                .set("status", status)
                .set("message", message)
                .set("config", scala.jdk.javaapi.CollectionConverters.asScala(args.resolved()))
                .set("regions_per_concept", scala.jdk.javaapi.CollectionConverters.asScala(r.regionsPerConcept()))
                .set("phase_seconds", scala.jdk.javaapi.CollectionConverters.asScala(r.phaseSeconds()))
                .set(Tables.RUN_DATE, Date.valueOf(args.runDate()))
                .build();
        writer.append(Tables.RUNS, spark.createDataFrame(List.of(run), Tables.RUNS.schema()));
    }

    private String modelsKey(ModelSet models) {
        return Ledger.modelsKey(models.rows(), args.sampling(), tiling, args.tracking());
    }

    private <T> JavaRDD<T> persist(JavaRDD<T> rdd) {
        rdd.persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(rdd::unpersist);
        return rdd;
    }

    /** Why the run counts as failed for its share of failed inputs, or null. */
    static String failureRateExceeded(long failed, long inputs, double maxRate) {
        if (inputs == 0 || failed / (double) inputs <= maxRate) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "%d of %d inputs failed (%.1f%%), more than --max-failure-rate %s allows;" + " see errors/",
                failed,
                inputs,
                100.0 * failed / inputs,
                maxRate);
    }

    /**
     * Files per table and run: about one per 100,000 inputs, never one per inference task (a night of small files is
     * slow to query). The tables are written from the cached inspections, so this does not narrow the inference.
     */
    static int outputFiles(long inputs) {
        return Math.max(1, (int) Math.ceil(inputs / 100_000.0));
    }

    /** Whether the failure is running out of memory, in a task or on the driver. */
    static boolean outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError
                    || t instanceof InspectTask.TaskOutOfMemoryException
                    || String.valueOf(t.getMessage())
                            .contains(InspectTask.TaskOutOfMemoryException.class.getSimpleName())) {
                return true;
            }
        }
        return false;
    }

    private static String shown(Map<String, String> config) {
        StringBuilder shown = new StringBuilder();
        config.forEach((k, v) -> shown.append(String.format("%n  %s = %s", k, v)));
        return shown.toString();
    }

    public static String summary(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                "Run %s: %d inputs listed (%d inspected by an earlier run), %d images and %d frames of %d videos inspected,"
                        + " %d inputs with errors (see errors/), %d regions%n",
                r.runId(),
                r.inputsListed(),
                r.inputsSkipped(),
                r.imagesProcessed(),
                r.framesProcessed(),
                r.videosProcessed(),
                r.inputsFailed(),
                r.regionsWritten()));
        if (r.inputsUnsupported() > 0) {
            sb.append(String.format(
                    "  %d files of formats the job does not read, not inspected (named in the log)%n",
                    r.inputsUnsupported()));
        }
        r.regionsPerConcept().forEach((concept, n) -> sb.append(String.format("  %-20s %d%n", concept, n)));
        r.anomalousPerModel()
                .forEach((model, n) -> sb.append(String.format(
                        "  %s: %d of %d images and frames anomalous (image_scores/, heatmaps/)%n",
                        model, n, r.imagesProcessed() + r.framesProcessed())));
        if (r.report() != null) {
            sb.append(String.format("Report: %s%n", r.report()));
        }
        return sb.toString().stripTrailing();
    }
}

package dev.inspection.jobs.evaluate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.inspection.anomaly.AnomalySpec;
import dev.inspection.detect.DetectorSpec;
import dev.inspection.eval.PixelCurves;
import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.evaluate.calibration.CalibratedPackage;
import dev.inspection.jobs.evaluate.labels.LabelSet;
import dev.inspection.jobs.evaluate.labels.Labels;
import dev.inspection.jobs.evaluate.metrics.AnomalyMetrics;
import dev.inspection.jobs.evaluate.metrics.DetectionMetrics;
import dev.inspection.jobs.evaluate.report.AnomalyReport;
import dev.inspection.jobs.evaluate.report.DetectionReport;
import dev.inspection.jobs.inspect.ImageKeys;
import dev.inspection.jobs.inspect.ModelSet;
import dev.inspection.jobs.inspect.PixelLabels;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.output.TableWriter;
import dev.inspection.jobs.output.Tables;
import dev.inspection.jobs.output.Tables.Table;
import dev.inspection.jobs.run.Addition;
import dev.inspection.jobs.run.RunFiles;
import java.io.IOException;
import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation's part of a run (see {@link Addition}): reads the labels before anything runs, hands the
 * tasks the masks to count each labeled image's anomaly map against, adds a row to {@code errors} per bad label, and
 * once the inspection's tables are committed compares what the models found with the labels. It writes
 * {@code detection_metrics} or {@code anomaly_metrics} for the date, the plots under
 * {@code evaluation/run_date=DATE/detection|anomaly/RUN_ID/}, and with calibration a model package per anomaly model
 * under {@code calibrated/run_date=DATE/}. Everything is computed with Spark from the cached inspections; only the
 * metrics' rows, the curves' points and the summed pixel counts reach the driver (and, before the run, the masks' URIs
 * by image key, which the tasks get with their payload).
 */
public final class Evaluation implements Addition {

    private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);

    /** The folder of the plots, beside the tables. */
    public static final String PLOTS = "evaluation";

    /** Per anomaly model: its image metrics, and its pixel metrics where masks exist (null otherwise). */
    static final StructType ANOMALY_COLUMNS = DataTypes.createStructType(java.util.stream.Stream.of(
                    java.util.stream.Stream.of(
                            Tables.field("model_name", DataTypes.StringType),
                            Tables.field("model_version", DataTypes.StringType),
                            Tables.field("model_sha256", DataTypes.StringType)),
                    java.util.Arrays.stream(AnomalyMetrics.IMAGE_METRICS.fields())
                            .skip(1),
                    java.util.Arrays.stream(AnomalyMetrics.PIXEL_METRICS.fields())
                            .skip(1))
            .flatMap(s -> s)
            .toList());

    public static final Table DETECTION_METRICS = metricsTable("detection_metrics", DetectionMetrics.SCHEMA);
    public static final Table ANOMALY_METRICS = metricsTable("anomaly_metrics", ANOMALY_COLUMNS);

    private static final String KEY = "image_key";

    private final SparkSession spark;
    private final InspectArgs args;
    private final Configuration hadoop;
    private final TableWriter writer;
    private final List<String> report = new ArrayList<>();
    private LabelSet labels;

    private PixelLabels pixelLabels;

    public Evaluation(SparkSession spark, InspectArgs args) {
        this.spark = spark;
        this.args = args;
        this.hadoop = spark.sparkContext().hadoopConfiguration();
        this.writer = new TableWriter(spark, args.output(), args.runDate());
    }

    /** The metrics as the job prints them. */
    public String report() {
        return String.join(System.lineSeparator(), report);
    }

    @Override
    public InspectArgs.Sources prepare(ModelSet models) throws IOException, UsageException {
        List<String> classes = models.detectors().isEmpty()
                ? List.of()
                : models.detectors().get(0).spec().classNames();
        try {
            labels = Labels.read(
                    spark,
                    args.labels(),
                    args.inputs().size() == 1 ? args.inputs().get(0) : null,
                    classes,
                    JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new HadoopConf(hadoop)));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        if (!forDetectors() && models.anomalyModels().isEmpty()) {
            throw new UsageException("--labels " + args.labels()
                    + " holds normal and anomalous images: it evaluates an --anomaly model");
        }
        InspectArgs.Sources sources = args.sources();
        if (sources.isEmpty()) { // the images the labels say where to find: a folder, or a CSV as a manifest
            boolean csv = labels.format() == LabelSet.Format.VERDICT_CSV;
            String root = labels.imagesRoot();
            sources = new InspectArgs.Sources(
                    csv || root == null ? List.of() : List.of(root),
                    csv ? List.of(qualified(args.labels())) : List.of());
        }
        if (sources.isEmpty()) {
            throw new UsageException("--labels " + args.labels() + " name their images by URI: give the folder that"
                    + " holds them as --input");
        }
        if (forDetectors() && args.calibrate()) {
            throw new UsageException("--calibrate and --calibrate-fpr choose anomaly models' thresholds, and --labels "
                    + args.labels() + " holds boxes: give normal and anomalous images (an MVTec AD folder, a CSV of"
                    + " uri,label)");
        }
        if (!forDetectors()) {
            Dataset<Row> verdicts = labels.verdicts().persist(StorageLevel.MEMORY_AND_DISK());
            Row counts = verdicts.agg(
                            org.apache.spark.sql.functions.sum(
                                    when(col("anomalous"), 1L).otherwise(0L)),
                            org.apache.spark.sql.functions.sum(
                                    when(col("anomalous"), 0L).otherwise(1L)),
                            org.apache.spark.sql.functions.count(col("mask_uri")))
                    .first();
            long anomalous = counts.isNullAt(0) ? 0 : counts.getLong(0);
            long normal = counts.isNullAt(1) ? 0 : counts.getLong(1);
            if (args.calibrate() && args.calibrateFpr() == null && anomalous == 0) {
                throw new UsageException("--calibrate chooses the F1-best thresholds, which need anomalous images, and "
                        + args.labels() + " has only normal ones: calibrate at a false-positive rate with"
                        + " --calibrate-fpr X instead");
            }
            if (args.calibrateFpr() != null && normal == 0) {
                throw new UsageException("--calibrate-fpr chooses the threshold that a share of the normal images"
                        + " exceed, and " + args.labels() + " has no normal image");
            }
            if (counts.getLong(2) > 0) {
                // Each labeled image's mask URI travels to the tasks with the broadcast payload: about 100 bytes an
                // image, 10 MB for 100,000 (the maps themselves are counted where they are made, never collected).
                Map<String, String> byKey = new LinkedHashMap<>();
                for (Row r : verdicts.where(col("mask_uri").isNotNull().or(not(col("anomalous"))))
                        .select(KEY, "anomalous", "mask_uri")
                        .collectAsList()) {
                    byKey.put(r.getString(0), r.getBoolean(1) ? r.getString(2) : PixelLabels.NORMAL);
                }
                pixelLabels = new PixelLabels(imageKeys(), byKey);
            }
        }
        return sources;
    }

    @Override
    public PixelLabels pixelLabels() {
        return pixelLabels;
    }

    @Override
    public Errors errors(Dataset<Row> inspections, String runId) {
        Dataset<Row> inspectedKeys = keyed(inspections).select(KEY).distinct();
        Dataset<Row> missing = labels.labeledImages()
                .join(inspectedKeys, labels.labeledImages().col(KEY).equalTo(inspectedKeys.col(KEY)), "left_anti")
                .select(
                        col("label_uri").as("source_uri"),
                        lit("MissingImage").as("error_class"),
                        org.apache
                                .spark
                                .sql
                                .functions
                                .concat(
                                        lit("the label "),
                                        col("label_uri"),
                                        lit(" names image '"),
                                        col(KEY),
                                        lit("', which is not among the inputs"
                                                + " (no such file, or of a format the job does not read)"))
                                .as("message"));
        Dataset<Row> rows = labels.errors()
                .select("source_uri", "error_class", "message")
                .unionByName(missing)
                .select(
                        lit(runId).as("run_id"),
                        col("source_uri"),
                        lit(null).cast("string").as("video_id"),
                        lit(null).cast("bigint").as("frame_number"),
                        lit(null).cast("bigint").as("frame_time_ms"),
                        org.apache
                                .spark
                                .sql
                                .functions
                                .map()
                                .cast(DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false))
                                .as("metadata"),
                        lit("labels").as("stage"),
                        col("error_class"),
                        col("message"),
                        lit(Date.valueOf(args.runDate())).as(Tables.RUN_DATE))
                .persist(StorageLevel.MEMORY_AND_DISK());
        long count = rows.count();
        if (count > 0) {
            report.add(count + " bad label(s): see errors/ (stage labels)");
        }
        return new Errors(rows, count);
    }

    @Override
    public String write(
            Dataset<Row> inspections,
            ModelSet models,
            String runId,
            RunFiles files,
            boolean succeeded,
            Consumer<String> step)
            throws IOException {
        Dataset<Row> inspected = keyed(inspections.where(col("error_stage").isNull()));
        String plots = files.runFolder(plotsFolder());
        List<String> recorded = new ArrayList<>();
        recorded.add("labels=" + args.labels());
        // Each kind of evaluation replaces its own table and plots of the date, and leaves the other kind's.
        if (forDetectors()) {
            Dataset<Row> metrics = detectionMetrics(inspected, models, plots, step);
            step.accept("write " + DETECTION_METRICS.name());
            writeTable(DETECTION_METRICS, metrics, runId);
        } else {
            String calibrated = writer.datePath(CalibratedPackage.FOLDER);
            Dataset<Row> metrics =
                    anomalyMetrics(inspected, models, plots, files.staging(calibrated), runId, recorded, step);
            step.accept("write " + ANOMALY_METRICS.name());
            writeTable(ANOMALY_METRICS, metrics, runId);
            if (succeeded) {
                files.commit(calibrated);
            } else if (args.calibrate()) { // left staged: the run's abort removes them
                recorded.add("no calibrated package: the run failed (see message)");
                report.add("The calibrated packages are not published: too many inputs failed");
            }
        }
        files.commit(plotsFolder());
        return String.join("; ", recorded);
    }

    /** The date's plots of this kind of evaluation: {@code evaluation/run_date=DATE/detection|anomaly/}. */
    private String plotsFolder() {
        return writer.datePath(PLOTS) + "/" + (forDetectors() ? "detection" : "anomaly");
    }

    // ---- detectors

    private Dataset<Row> detectionMetrics(Dataset<Row> inspected, ModelSet models, String plots, Consumer<String> step)
            throws IOException {
        Dataset<Row> detections = inspected
                .select(col(KEY), explode(col("regions")).as("r"))
                .select(
                        col("r.model_name"),
                        col(KEY).as("image_id"),
                        col("r.concept_name"),
                        col("r.score"),
                        col("r.top_row"),
                        col("r.left_col"),
                        col("r.bottom_row"),
                        col("r.right_col"));
        List<Row> names = new ArrayList<>();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (ModelSet.Model<DetectorSpec> m : models.detectors()) {
            names.add(org.apache.spark.sql.RowFactory.create(m.spec().name()));
            Double packaged = m.pkg().descriptor().scoreThreshold();
            thresholds.put(
                    m.spec().name(),
                    args.scoreThreshold() != null
                            ? args.scoreThreshold()
                            : packaged != null ? packaged : DetectorSpec.DEFAULT_SCORE_THRESHOLD);
        }
        Dataset<Row> modelNames = spark.createDataFrame(names, new StructType(new StructField[] {
            DataTypes.createStructField("model_name", DataTypes.StringType, false)
        }));
        Dataset<Row> evaluated = inspected.select(col(KEY));
        if (labels.format() == LabelSet.Format.COCO_JSON) {
            // COCOeval evaluates the images its file lists; others in the folder are not part of the set
            evaluated = evaluated.join(labels.labeledImages().select(KEY).distinct(), KEY);
        }
        Dataset<Row> images = evaluated.select(col(KEY).as("image_id")).crossJoin(modelNames);
        Dataset<Row> sizes = inspected.select(col(KEY), col("image_width"), col("image_height"));
        Dataset<Row> boxes = labels.boxes().join(sizes, KEY); // the boxes of the images evaluated
        Column pixels = col("normalized").equalTo(false);
        Dataset<Row> truth = boxes.select(
                col(KEY).as("image_id"),
                col("concept_name"),
                when(pixels, col("top_row").divide(col("image_height")))
                        .otherwise(col("top_row"))
                        .as("top_row"),
                when(pixels, col("left_col").divide(col("image_width")))
                        .otherwise(col("left_col"))
                        .as("left_col"),
                when(pixels, col("bottom_row").divide(col("image_height")))
                        .otherwise(col("bottom_row"))
                        .as("bottom_row"),
                when(pixels, col("right_col").divide(col("image_width")))
                        .otherwise(col("right_col"))
                        .as("right_col"),
                col("iscrowd"));
        DetectionMetrics.Result result = DetectionMetrics.compute(spark, detections, truth, images, thresholds, step);
        List<Row> rows = new ArrayList<>(result.metrics().collectAsList()); // a few rows on the driver already
        rows.sort(java.util.Comparator.comparing((Row r) -> r.<String>getAs("model_name"))
                .thenComparing(r -> r.<String>getAs("concept_name")));
        for (Row r : rows) {
            report.add(DetectionReport.line(r));
        }
        step.accept("draw the precision-recall curves and confusion matrices");
        DetectionReport.plots(result, rows, plots, hadoop);
        return spark.createDataFrame(rows, DetectionMetrics.SCHEMA);
    }

    // ---- anomaly models

    private Dataset<Row> anomalyMetrics(
            Dataset<Row> inspected,
            ModelSet models,
            String plots,
            Path calibrated,
            String runId,
            List<String> recorded,
            Consumer<String> step)
            throws IOException {
        Dataset<Row> scored = inspected
                .select(col(KEY), explode(col("anomalies")).as("a"))
                .select(
                        col(KEY),
                        col("a.model_name"),
                        col("a.model_version"),
                        col("a.model_sha256"),
                        coalesce(col("a.raw_score"), col("a.score")).as("raw_score"),
                        col("a.score"),
                        col("a.pixel_counts"))
                .join(labels.verdicts().select(KEY, "anomalous"), KEY)
                .persist(StorageLevel.MEMORY_AND_DISK());
        step.accept("pixel curves: the masks' pixel counts summed per model and bin");
        Dataset<Row> withCounts =
                scored.where(col("pixel_counts").isNotNull()).select(col("model_name"), col("pixel_counts.*"));
        Map<String, PixelCurves> pixels = AnomalyMetrics.pixelCurves(withCounts);
        Dataset<Row> metrics = scored.select("model_name", "model_version", "model_sha256")
                .distinct()
                .join(AnomalyMetrics.imageMetrics(scored.select("model_name", "raw_score", "anomalous")), "model_name")
                .join(AnomalyMetrics.pixelMetrics(pixels, spark), new String[] {"model_name"}, "left");
        step.accept("image AUROC and F1 per model (scores sorted), with the pixel metrics");
        List<Row> rows = metrics.select(columns(ANOMALY_COLUMNS)).orderBy("model_name").collectAsList().stream()
                .map(Evaluation::defined)
                .toList();
        step.accept("score histograms and plots");
        Map<String, List<Row>> histograms =
                AnomalyReport.byModel(AnomalyMetrics.scoreHistogram(scored.select("model_name", "score", "anomalous"))
                        .collectAsList());
        for (Row r : rows) {
            String model = r.getAs("model_name");
            report.add(AnomalyReport.line(r));
            AnomalyReport.plot(plots, model, histograms.getOrDefault(model, List.of()), hadoop);
        }
        if (args.calibrate()) {
            step.accept("calibrate the thresholds and stage the packages");
            for (ModelSet.Model<AnomalySpec> m : models.anomalyModels()) {
                String name = m.spec().name();
                Row row = rows.stream()
                        .filter(r -> r.getAs("model_name").equals(name))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException(
                                "cannot calibrate " + name + ": no labeled image was inspected (see errors/)"));
                CalibratedPackage.Thresholds t = calibrate(scored, row, m.spec());
                CalibratedPackage.stage(
                        calibrated,
                        m,
                        t,
                        Map.of(
                                "labels",
                                args.labels(),
                                "run_id",
                                runId,
                                "run_date",
                                args.runDate().toString()),
                        hadoop);
                String chosen = String.format(
                        Locale.ROOT,
                        "calibrated %s (%s): image_threshold %.6g, pixel_threshold %s -> %s/run_date=%s/%s",
                        name,
                        t.fpr() == null ? "F1-best" : "fpr " + t.fpr(),
                        t.imageThreshold(),
                        t.pixelThreshold() == null
                                ? "unchanged"
                                : String.format(Locale.ROOT, "%.6g", t.pixelThreshold()),
                        CalibratedPackage.FOLDER,
                        args.runDate(),
                        name);
                recorded.add(chosen);
                report.add(chosen);
            }
        }
        return spark.createDataFrame(rows, ANOMALY_COLUMNS);
    }

    /**
     * A metrics row with null where a metric is not defined: AUROC without both kinds of image (NaN), F1 without
     * anomalous images (anomalib would pick the lowest score, flagging every image).
     */
    private static Row defined(Row r) {
        Object[] values = new Object[r.length()];
        boolean noAnomalous = r.<Long>getAs("anomalous_images") == 0;
        for (int i = 0; i < values.length; i++) {
            Object v = r.get(i);
            String name = r.schema().fieldNames()[i];
            values[i] = v instanceof Double d && d.isNaN() || noAnomalous && name.startsWith("image_f1") ? null : v;
        }
        return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(values, r.schema());
    }

    /**
     * The thresholds calibration chooses for one model, on its own output scale: the image threshold F1-best on the
     * labeled images (anomalib's F1-adaptive threshold), or at the false-positive rate of its normal images; the pixel
     * threshold F1-best on the masks' pixels where there are masks, else the source's. (A pixel threshold at a
     * false-positive rate of normal pixels would put that share of every normal image above it.)
     */
    private CalibratedPackage.Thresholds calibrate(Dataset<Row> scored, Row metrics, AnomalySpec spec) {
        Double pixelF1 = metrics.getAs("pixel_f1_threshold"); // null without masks
        Double pixel = pixelF1 == null ? null : CalibratedPackage.rawPixelThreshold(spec, pixelF1);
        Double fpr = args.calibrateFpr();
        if (fpr != null) {
            List<Row> chosen = AnomalyMetrics.thresholdAtFpr(
                            scored.where(col("model_name").equalTo(spec.name()))
                                    .select("model_name", "raw_score", "anomalous"),
                            fpr)
                    .collectAsList();
            if (chosen.isEmpty()) {
                throw new IllegalStateException("cannot calibrate " + spec.name()
                        + " at a false-positive rate: none of its normal images was inspected (see errors/)");
            }
            return new CalibratedPackage.Thresholds(chosen.get(0).getAs("threshold"), pixel, "fpr", fpr);
        }
        Double image = metrics.getAs("image_f1_threshold"); // null without an inspected anomalous image
        if (image == null) {
            throw new IllegalStateException("cannot calibrate " + spec.name()
                    + " to the best F1: none of its anomalous images was inspected (see errors/)");
        }
        return new CalibratedPackage.Thresholds(image, pixel, "f1", null);
    }

    // ---- shared

    /** A URI as the listing qualifies it: the verdict CSV, a manifest, then gives the URIs its labels name. */
    private String qualified(String uri) throws IOException {
        Path path = new Path(uri);
        return path.getFileSystem(hadoop).makeQualified(path).toString();
    }

    private boolean forDetectors() {
        return labels.purpose() == LabelSet.Purpose.DETECTION;
    }

    /** The rows with each image's key, as the labels name images. */
    private Dataset<Row> keyed(Dataset<Row> rows) {
        ImageKeys keys = imageKeys();
        UserDefinedFunction key = udf((UDF1<String, String>) keys::of, DataTypes.StringType);
        return rows.withColumn(KEY, key.apply(col("source_uri")));
    }

    private ImageKeys imageKeys() {
        return new ImageKeys(labels.imagesRoot(), org.apache.hadoop.fs.FileSystem.getDefaultUri(hadoop));
    }

    /** Replaces the date's rows of a metrics table: a few rows per model, one file. */
    private void writeTable(Table table, Dataset<Row> rows, String runId) throws IOException {
        Dataset<Row> dated =
                rows.withColumn("run_id", lit(runId)).withColumn(Tables.RUN_DATE, lit(Date.valueOf(args.runDate())));
        writer.replaceDate(table, dated, 1, TableWriter.FEW_ROWS); // a few rows per model and class
    }

    private static Column[] columns(StructType schema) {
        return java.util.Arrays.stream(schema.fieldNames())
                .map(org.apache.spark.sql.functions::col)
                .toArray(Column[]::new);
    }

    /** A metrics table: the run, the metrics, the run date. */
    private static Table metricsTable(String name, StructType metrics) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("run_id", DataTypes.StringType, true));
        fields.addAll(List.of(metrics.fields()));
        fields.add(DataTypes.createStructField(Tables.RUN_DATE, DataTypes.DateType, true));
        return new Table(name, DataTypes.createStructType(fields));
    }
}

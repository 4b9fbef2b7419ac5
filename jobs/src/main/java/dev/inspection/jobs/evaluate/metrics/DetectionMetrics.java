package dev.inspection.jobs.evaluate.metrics;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.inspection.eval.CocoImageMatch;
import dev.inspection.eval.MetricGrids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Detection metrics of models on labeled images, computed with Spark: pycocotools' COCOeval AP (ap50_95, ap50),
 * Ultralytics' mAP (map50_95, map50), precision, recall and F1 at a model's score threshold and at the F1-best one,
 * the precision-recall curves and the confusion matrix. Steps:
 *
 * <ol>
 *   <li>each model's detections and labels are collected per image (one row per image, on executors) and matched
 *       there, as COCOeval's evaluateImg and Ultralytics' match_predictions and ConfusionMatrix match them
 *       ({@link ImageMatches});
 *   <li>per model, class and IoU threshold, the matched detections are sorted by score (windows) and counted
 *       cumulatively: recall and precision after each detection;
 *   <li>COCO: the highest precision per recall point (at most 101 rows per class and IoU threshold); Ultralytics: the
 *       envelope with its sentinels, linearly interpolated at the 101 points (np.interp); the counts at the score
 *       threshold and per confidence bucket, and each class's F1-best threshold: all summed on the executors;
 *   <li>those few rows per class reach the driver, where {@link MetricRows} takes COCO's envelope (the precision at
 *       each point is the highest at a recall at least that point, what {@code searchsorted(left)} gives) and its
 *       mean, integrates Ultralytics' curve with the trapezoid rule, and averages over classes.
 * </ol>
 *
 * Ties in score are broken by image id, then by the box position within an image ({@link
 * dev.inspection.eval.ScoredBox#EVALUATION_ORDER}): pycocotools keeps tied detections in the order they were given.
 */
public final class DetectionMetrics {

    /** The concept_name of each model's row over all classes. */
    public static final String ALL = "all";

    /** The metrics table: one row per model and class with labels or detections, and one per model for {@link #ALL}. */
    public static final StructType SCHEMA = new StructType()
            .add("model_name", DataTypes.StringType, false)
            .add("concept_name", DataTypes.StringType, false)
            .add("ap50_95", DataTypes.DoubleType)
            .add("ap50", DataTypes.DoubleType)
            .add("map50_95", DataTypes.DoubleType)
            .add("map50", DataTypes.DoubleType)
            .add("precision", DataTypes.DoubleType)
            .add("recall", DataTypes.DoubleType)
            .add("f1", DataTypes.DoubleType)
            .add("tp", DataTypes.LongType)
            .add("fp", DataTypes.LongType)
            .add("fn", DataTypes.LongType)
            .add("best_f1", DataTypes.DoubleType)
            .add("best_threshold", DataTypes.DoubleType)
            .add("best_precision", DataTypes.DoubleType)
            .add("best_recall", DataTypes.DoubleType)
            .add("labels", DataTypes.LongType)
            .add("detections", DataTypes.LongType)
            .add("images", DataTypes.LongType);

    /** The curves table: COCO's interpolated precision at IoU 0.5 at each of its 101 recall points. */
    public static final StructType CURVE_SCHEMA = new StructType()
            .add("model_name", DataTypes.StringType, false)
            .add("concept_name", DataTypes.StringType, false)
            .add("recall", DataTypes.DoubleType)
            .add("precision", DataTypes.DoubleType);

    /** The confusion table: counts per predicted and actual concept, {@code background} for none. */
    public static final StructType CONFUSION_SCHEMA = new StructType()
            .add("model_name", DataTypes.StringType, false)
            .add("predicted", DataTypes.StringType, false)
            .add("actual", DataTypes.StringType, false)
            .add("count", DataTypes.LongType, false);

    /** A box's columns, top, left, bottom, right. */
    private static final String[] BOX = {"top_row", "left_col", "bottom_row", "right_col"};

    /** The columns {@code compute} reads from {@code detections} (normalized boxes, as in the regions table). */
    public static final StructType DETECTIONS_SCHEMA = withBox(new StructType()
            .add("model_name", DataTypes.StringType)
            .add("image_id", DataTypes.StringType)
            .add("concept_name", DataTypes.StringType)
            .add("score", DataTypes.DoubleType));

    /** The columns {@code compute} reads from {@code labels}: an image's ground-truth boxes. */
    public static final StructType LABELS_SCHEMA = withBox(
                    new StructType().add("image_id", DataTypes.StringType).add("concept_name", DataTypes.StringType))
            .add("iscrowd", DataTypes.BooleanType);

    /** The columns {@code compute} reads from {@code images}: every image each model was evaluated on. */
    public static final StructType IMAGES_SCHEMA =
            new StructType().add("model_name", DataTypes.StringType).add("image_id", DataTypes.StringType);

    /** The classes with labels, and how many. */
    private static final StructType COUNTED_SCHEMA = new StructType()
            .add("model_name", DataTypes.StringType)
            .add("concept_name", DataTypes.StringType)
            .add("labels", DataTypes.LongType);

    /** numpy's {@code np.spacing(1)}: COCOeval's guard in tp / (tp + fp + eps). */
    private static final double COCO_EPS = Math.ulp(1.0);

    /** ap_per_class's eps: in recall = tp / (n_l + eps) and F1. */
    private static final double ULTRALYTICS_EPS = 1e-16;

    private static final UserDefinedFunction RECALL_POINT =
            udf((UDF1<Integer, Double>) k -> MetricGrids.RECALL_POINTS[k], DataTypes.DoubleType);
    private static final UserDefinedFunction LAST_RECALL_POINT_AT_MOST = udf(
            (UDF1<Double, Integer>) r -> MetricGrids.lastAtMost(MetricGrids.RECALL_POINTS, r), DataTypes.IntegerType);
    private static final UserDefinedFunction FIRST_RECALL_POINT_AT_LEAST = udf(
            (UDF1<Double, Integer>) r -> MetricGrids.firstAtLeast(MetricGrids.RECALL_POINTS, r), DataTypes.IntegerType);
    private static final UserDefinedFunction LAST_CONFIDENCE_AT_MOST =
            udf((UDF1<Double, Integer>) s -> MetricGrids.lastAtMost(MetricGrids.CONFIDENCES, s), DataTypes.IntegerType);

    private DetectionMetrics() {}

    /** The three tables. */
    public record Result(Dataset<Row> metrics, Dataset<Row> curves, Dataset<Row> confusion) {}

    /**
     * Computes the metrics.
     *
     * @param detections model_name, image_id, concept_name, score, top_row, left_col, bottom_row, right_col
     * @param labels image_id, concept_name, top_row, left_col, bottom_row, right_col, iscrowd
     * @param images model_name, image_id: every image each model was evaluated on
     * @param scoreThresholds each model's operating score threshold (detections scored at least it count)
     * @throws IllegalArgumentException when a model of {@code images} has no score threshold
     */
    public static Result compute(
            SparkSession spark,
            Dataset<Row> detections,
            Dataset<Row> labels,
            Dataset<Row> images,
            Map<String, Double> scoreThresholds) {
        return compute(spark, detections, labels, images, scoreThresholds, step -> {});
    }

    /**
     * Computes the metrics, saying what it computes before each step's Spark jobs. Every step over the detections runs
     * on the executors (a detection's row per IoU threshold, sorted per class); what reaches the driver is a few rows
     * per class (at most 1000), from which {@link MetricRows} makes the metrics and curves. Each step is one or two
     * Spark jobs over the cached per-image matches.
     */
    public static Result compute(
            SparkSession spark,
            Dataset<Row> detections,
            Dataset<Row> labels,
            Dataset<Row> images,
            Map<String, Double> scoreThresholds,
            Consumer<String> step) {
        step.accept("count the images each model was evaluated on");
        List<Row> imageCounts = images.groupBy("model_name")
                .agg(countDistinct("image_id").as("images"))
                .collectAsList();
        for (Row model : imageCounts) {
            if (!scoreThresholds.containsKey(model.getString(0))) {
                throw new IllegalArgumentException("no score threshold for model '" + model.getString(0)
                        + "' (thresholds are given for " + scoreThresholds.keySet() + ")");
            }
        }
        step.accept("match detections with labels per image; count labels, detections and the confusion matrix");
        Dataset<Row> matched = matchPerImage(detections, labels, images).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Row> labelTotals = matched.select(
                            col("model_name"), explode(col("label_counts")).as("c"))
                    .groupBy(col("model_name"), col("c.concept_name").as("concept_name"))
                    .agg(
                            sum("c.labels").as("labels"),
                            sum(when(col("c.labels").gt(0), 1).otherwise(0))
                                    .cast("long")
                                    .as("images"))
                    .collectAsList();
            List<Row> confusion = matched.select(
                            col("model_name"), explode(col("confusion")).as("c"))
                    .groupBy(
                            col("model_name"),
                            col("c.predicted").as("predicted"),
                            col("c.actual").as("actual"))
                    .agg(sum("c.count").cast("long").as("count"))
                    .collectAsList();
            List<Row> detectionCounts = detections
                    .groupBy("model_name", "concept_name")
                    .agg(count(lit(1)).as("detections"))
                    .collectAsList();
            // The classes with labels, with their counts: a small table the detection steps join with (broadcast).
            Dataset<Row> counted = spark.createDataFrame(
                    labelTotals.stream()
                            .filter(r -> ((Number) r.get(2)).longValue() > 0)
                            .map(r -> RowFactory.create(r.get(0), r.get(1), ((Number) r.get(2)).longValue()))
                            .toList(),
                    COUNTED_SCHEMA);
            MetricRows rows =
                    new MetricRows().images(imageCounts).labels(labelTotals).detections(detectionCounts);

            Dataset<Row> coco = cocoOutcomes(matched);
            step.accept("COCO precision at 101 recall points per class and IoU threshold (detections sorted by score)");
            rows.cocoPoints(cocoPrecisionAtRecallPoints(coco, counted).collectAsList());
            step.accept("Ultralytics' interpolated precision per class and IoU threshold");
            rows.ultralyticsPoints(ultralyticsCurve(matched, counted).collectAsList());
            step.accept("precision and recall at the score thresholds, and the F1-best thresholds");
            Dataset<Row> atIou50 = coco.filter(col("t").equalTo(0));
            rows.atThreshold(atIou50.join(broadcast(thresholdTable(spark, scoreThresholds)), "model_name")
                    .filter(col("score").geq(col("score_threshold")))
                    .groupBy("model_name", "concept_name")
                    .agg(sum("is_tp").as("tp_at"), sum("is_fp").as("fp_at"))
                    .collectAsList());
            rows.bestPerClass(bestF1PerClass(atIou50, counted).collectAsList());
            rows.confidenceBuckets(atIou50.withColumn("j", LAST_CONFIDENCE_AT_MOST.apply(col("score")))
                    .filter(col("j").geq(0))
                    .join(
                            broadcast(counted.select("model_name", "concept_name")),
                            scalaSeq("model_name", "concept_name"))
                    .groupBy("model_name", "concept_name", "j")
                    .agg(sum("is_tp").as("tp_j"), sum("is_fp").as("fp_j"))
                    .collectAsList());
            return new Result(
                    spark.createDataFrame(rows.metrics(), SCHEMA),
                    spark.createDataFrame(rows.curves(), CURVE_SCHEMA),
                    spark.createDataFrame(confusion, CONFUSION_SCHEMA));
        } finally {
            matched.unpersist();
        }
    }

    /** The thresholds as a small table. */
    private static Dataset<Row> thresholdTable(SparkSession spark, Map<String, Double> scoreThresholds) {
        List<Row> rows = new ArrayList<>();
        scoreThresholds.forEach((model, threshold) -> rows.add(RowFactory.create(model, threshold)));
        StructType schema =
                new StructType().add("model_name", DataTypes.StringType).add("score_threshold", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema);
    }

    /** Step 1: one row per model and image with what was matched there ({@link ImageMatches#SCHEMA}). */
    private static Dataset<Row> matchPerImage(Dataset<Row> detections, Dataset<Row> labels, Dataset<Row> images) {
        Dataset<Row> detectionsPerImage = detections
                .groupBy("model_name", "image_id")
                .agg(collect_list(struct(
                                col("concept_name"), col("score").cast("double"), box(0), box(1), box(2), box(3)))
                        .as("dets"));
        Dataset<Row> labelsPerImage = labels.groupBy("image_id")
                .agg(collect_list(struct(
                                col("concept_name"),
                                box(0),
                                box(1),
                                box(2),
                                box(3),
                                col("iscrowd").cast("boolean")))
                        .as("gts"));
        Dataset<Row> perImage = images.select("model_name", "image_id")
                .distinct()
                .join(detectionsPerImage, scalaSeq("model_name", "image_id"), "left")
                .join(labelsPerImage, scalaSeq("image_id"), "left")
                .select("model_name", "image_id", "dets", "gts");
        return perImage.map((MapFunction<Row, Row>) ImageMatches::match, Encoders.row(ImageMatches.SCHEMA));
    }

    private static Column box(int corner) {
        return col(BOX[corner]).cast("double");
    }

    private static StructType withBox(StructType schema) {
        StructType withBox = schema;
        for (String corner : BOX) {
            withBox = withBox.add(corner, DataTypes.DoubleType);
        }
        return withBox;
    }

    /**
     * One row per detection of the per-image array {@code detectionsColumn} and IoU threshold t, with the detection's
     * entry of its per-threshold array {@code perThresholdField} as {@code valueName}.
     */
    private static Dataset<Row> perThreshold(
            Dataset<Row> matched, String detectionsColumn, String perThresholdField, String valueName) {
        return matched.select(
                        col("model_name"),
                        col("image_id"),
                        explode(col(detectionsColumn)).as("d"))
                .select(
                        col("model_name"),
                        col("image_id"),
                        col("d.concept_name").as("concept_name"),
                        col("d.score").as("score"),
                        col("d.rank").as("rank"),
                        posexplode(col("d." + perThresholdField)).as(new String[] {"t", valueName}));
    }

    /** COCO's kept detections per IoU threshold t, crowd-matched ones left out, with cumulative tp and fp. */
    private static Dataset<Row> cocoOutcomes(Dataset<Row> matched) {
        Dataset<Row> outcomes = perThreshold(matched, "coco", "outcomes", "outcome")
                .filter(col("outcome").notEqual(CocoImageMatch.IGNORED));
        return outcomes.withColumn(
                        "is_tp",
                        when(col("outcome").equalTo(CocoImageMatch.MATCHED), 1L).otherwise(0L))
                .withColumn(
                        "is_fp",
                        when(col("outcome").equalTo(CocoImageMatch.UNMATCHED), 1L)
                                .otherwise(0L));
    }

    private static WindowSpec scoreOrderPerClassAndThreshold() {
        return Window.partitionBy("model_name", "concept_name", "t")
                .orderBy(col("score").desc(), col("image_id").asc(), col("rank").asc());
    }

    /**
     * Step 3 for COCO: p(model, class, t, k), the highest precision among the detections whose recall's last recall
     * point is k, for classes with labels; {@link MetricRows} takes the envelope q_k = max{p_k' : k' >= k}.
     */
    private static Dataset<Row> cocoPrecisionAtRecallPoints(Dataset<Row> coco, Dataset<Row> counted) {
        WindowSpec cumulative =
                scoreOrderPerClassAndThreshold().rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        return coco.withColumn("tp", sum("is_tp").over(cumulative))
                .withColumn("fp", sum("is_fp").over(cumulative))
                .join(broadcast(counted), scalaSeq("model_name", "concept_name"))
                .withColumn(
                        "recall", col("tp").cast("double").divide(col("labels").cast("double")))
                .withColumn(
                        "precision",
                        col("tp")
                                .cast("double")
                                .divide(col("fp").plus(col("tp")).cast("double").plus(lit(COCO_EPS))))
                .withColumn("k", LAST_RECALL_POINT_AT_MOST.apply(col("recall")))
                .groupBy("model_name", "concept_name", "t", "k")
                .agg(max("precision").as("p"));
    }

    /**
     * Steps 2 and 3 for Ultralytics: y(model, class, t, k), the curve compute_ap integrates (ap_per_class's envelope,
     * interpolated at the recall points) where a segment of it reaches point k, for classes with labels; 0 elsewhere
     * (x = 1 lies on the end sentinel, precision 0; so does every point of a class without predictions), and
     * {@link MetricRows} integrates it.
     */
    private static Dataset<Row> ultralyticsCurve(Dataset<Row> matched, Dataset<Row> counted) {
        Dataset<Row> predictions = perThreshold(matched, "ultralytics", "correct", "correct");
        WindowSpec order = scoreOrderPerClassAndThreshold();
        WindowSpec cumulative = order.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        // The envelope, the highest precision at or after each point, as a running max in the reverse order: Spark
        // recomputes a frame from the current row to the end for every row (n^2 / 2 rows read per class; 11 s of an
        // evaluation of the 50 demo boards), a frame from the start only adds the next row.
        WindowSpec following = Window.partitionBy("model_name", "concept_name", "t")
                .orderBy(col("score").asc(), col("image_id").desc(), col("rank").desc())
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        Dataset<Row> curve = predictions
                .join(broadcast(counted), scalaSeq("model_name", "concept_name"))
                .withColumn("tpc", sum(when(col("correct"), 1L).otherwise(0L)).over(cumulative))
                .withColumn("n", row_number().over(order))
                .withColumn(
                        "recall", col("tpc").cast("double").divide(col("labels").plus(lit(ULTRALYTICS_EPS))))
                .withColumn("precision", col("tpc").cast("double").divide(col("n").cast("double")))
                .withColumn("envelope", max("precision").over(following));
        // segments of the interpolated curve: from each point to the next (the last to the sentinel (1, 0)), and from
        // the sentinel (0, 1) to the first point
        Dataset<Row> segments = curve.select(
                        col("model_name"),
                        col("concept_name"),
                        col("t"),
                        col("recall").as("r0"),
                        col("envelope").as("e0"),
                        coalesce(lead("recall", 1).over(order), lit(1.0)).as("r1"),
                        coalesce(lead("envelope", 1).over(order), lit(0.0)).as("e1"))
                .unionByName(curve.filter(col("n").equalTo(1))
                        .select(
                                col("model_name"),
                                col("concept_name"),
                                col("t"),
                                lit(0.0).as("r0"),
                                lit(1.0).as("e0"),
                                col("recall").as("r1"),
                                col("envelope").as("e1")));
        // np.interp: the point j with recall_j <= x < recall_j+1 gives e_j + slope * (x - recall_j), e_j at x itself
        return segments.withColumn("k_first", FIRST_RECALL_POINT_AT_LEAST.apply(col("r0")))
                .withColumn(
                        "k_last", FIRST_RECALL_POINT_AT_LEAST.apply(col("r1")).minus(1))
                .filter(col("k_first").leq(col("k_last")))
                .withColumn("k", explode(sequence(col("k_first"), col("k_last"))))
                .withColumn("x", RECALL_POINT.apply(col("k")))
                .withColumn(
                        "y",
                        when(col("x").equalTo(col("r0")), col("e0"))
                                .otherwise(col("e1")
                                        .minus(col("e0"))
                                        .divide(col("r1").minus(col("r0")))
                                        .multiply(col("x").minus(col("r0")))
                                        .plus(col("e0"))))
                .select("model_name", "concept_name", "t", "k", "y");
    }

    /** numerator / denominator, null when the denominator is 0. */
    private static Column ratio(Column numerator, Column denominator) {
        return when(denominator.gt(0), numerator.cast("double").divide(denominator.cast("double")));
    }

    /**
     * Per class with labels: the score threshold of the highest F1 (counting the detections scored at least it, COCO
     * matching at IoU 0.5), the higher threshold among equal F1s.
     */
    private static Dataset<Row> bestF1PerClass(Dataset<Row> atIou50, Dataset<Row> counted) {
        WindowSpec atLeastScore = Window.partitionBy("model_name", "concept_name")
                .orderBy(col("score").desc())
                .rangeBetween(Window.unboundedPreceding(), Window.currentRow());
        Dataset<Row> candidates = atIou50.withColumn("tp", sum("is_tp").over(atLeastScore))
                .withColumn("fp", sum("is_fp").over(atLeastScore))
                .join(broadcast(counted), scalaSeq("model_name", "concept_name"))
                .withColumn(
                        "f1",
                        col("tp")
                                .multiply(2)
                                .cast("double")
                                .divide(col("tp")
                                        .plus(col("fp"))
                                        .plus(col("labels"))
                                        .cast("double")));
        WindowSpec bestFirst = Window.partitionBy("model_name", "concept_name")
                .orderBy(col("f1").desc(), col("score").desc());
        return candidates
                .withColumn("choice", row_number().over(bestFirst))
                .filter(col("choice").equalTo(1))
                .select(
                        col("model_name"),
                        col("concept_name"),
                        col("f1").as("best_f1"),
                        col("score").as("best_threshold"),
                        ratio(col("tp"), col("tp").plus(col("fp"))).as("best_precision"),
                        ratio(col("tp"), col("labels")).as("best_recall"));
    }

    private static scala.collection.immutable.Seq<String> scalaSeq(String... names) {
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
    }
}

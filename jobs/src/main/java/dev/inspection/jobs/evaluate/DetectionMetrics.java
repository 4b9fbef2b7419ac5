package dev.inspection.jobs.evaluate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.last;
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
 *   <li>COCO: the precision at each of the 101 recall points is the highest precision at a recall at least that point
 *       (what the envelope and {@code searchsorted(left)} give), AP their mean; Ultralytics: the envelope with its
 *       sentinels, linearly interpolated at the 101 points (np.interp) and integrated with the trapezoid rule;
 *   <li>only the per-class rows (a few per class) come back to the caller as Datasets.
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

    /** numpy's {@code np.spacing(1)}: COCOeval's guard in tp / (tp + fp + eps). */
    private static final double COCO_EPS = Math.ulp(1.0);

    /** ap_per_class's eps: in recall = tp / (n_l + eps) and F1. */
    private static final double ULTRALYTICS_EPS = 1e-16;

    /** Ultralytics' F1 smoothing: a box filter of 2 * round(1000 * 0.1) / 2 + 1 = 101 confidences. */
    private static final int SMOOTH_HALF_WIDTH = 50;

    private static final UserDefinedFunction RECALL_POINT =
            udf((UDF1<Integer, Double>) k -> MetricGrids.RECALL_POINTS[k], DataTypes.DoubleType);
    private static final UserDefinedFunction LAST_RECALL_POINT_AT_MOST = udf(
            (UDF1<Double, Integer>) r -> MetricGrids.lastAtMost(MetricGrids.RECALL_POINTS, r), DataTypes.IntegerType);
    private static final UserDefinedFunction FIRST_RECALL_POINT_AT_LEAST = udf(
            (UDF1<Double, Integer>) r -> MetricGrids.firstAtLeast(MetricGrids.RECALL_POINTS, r), DataTypes.IntegerType);
    private static final UserDefinedFunction CONFIDENCE =
            udf((UDF1<Integer, Double>) j -> MetricGrids.CONFIDENCES[j], DataTypes.DoubleType);
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
        Dataset<Row> thresholds = thresholdTable(spark, images, scoreThresholds);
        Dataset<Row> matched = matchPerImage(detections, labels, images).persist(StorageLevel.MEMORY_AND_DISK());

        Dataset<Row> labelTotals = matched.select(
                        col("model_name"), explode(col("label_counts")).as("c"))
                .groupBy(col("model_name"), col("c.concept_name").as("concept_name"))
                .agg(
                        sum("c.labels").as("labels"),
                        sum(when(col("c.labels").gt(0), 1).otherwise(0))
                                .cast("long")
                                .as("images"));
        Dataset<Row> counted = labelTotals.filter(col("labels").gt(0)).select("model_name", "concept_name", "labels");

        Dataset<Row> coco = cocoOutcomes(matched, counted);
        Dataset<Row> cocoPrecision = cocoPrecisionAtRecallPoints(coco, counted);
        Dataset<Row> ultralyticsAp = ultralyticsAp(matched, counted);

        Dataset<Row> detectionCounts = detections
                .groupBy("model_name", "concept_name")
                .agg(count(lit(1)).as("detections"));
        Dataset<Row> classes = labelTotals
                .select("model_name", "concept_name")
                .union(detectionCounts.select("model_name", "concept_name"))
                .distinct();

        Dataset<Row> perClass = perClassRows(
                classes, labelTotals, detectionCounts, cocoPrecision, ultralyticsAp, coco, counted, thresholds);
        Dataset<Row> all = allRows(perClass, images, cocoPrecision, ultralyticsAp, coco, counted);
        Dataset<Row> metrics = perClass.unionByName(all);

        Dataset<Row> classCurves = cocoPrecision
                .filter(col("t").equalTo(0))
                .select(
                        col("model_name"),
                        col("concept_name"),
                        RECALL_POINT.apply(col("k")).as("recall"),
                        col("q").as("precision"));
        Dataset<Row> allCurves = cocoPrecision
                .filter(col("t").equalTo(0))
                .groupBy("model_name", "k")
                .agg(avg("q").as("precision"))
                .select(
                        col("model_name"),
                        lit(ALL).as("concept_name"),
                        RECALL_POINT.apply(col("k")).as("recall"),
                        col("precision"));
        Dataset<Row> confusion = matched.select(
                        col("model_name"), explode(col("confusion")).as("c"))
                .groupBy(
                        col("model_name"),
                        col("c.predicted").as("predicted"),
                        col("c.actual").as("actual"))
                .agg(sum("c.count").cast("long").as("count"));
        return new Result(
                conform(metrics, SCHEMA),
                conform(classCurves.unionByName(allCurves), CURVE_SCHEMA),
                conform(confusion, CONFUSION_SCHEMA));
    }

    /** The thresholds as a small table; every model of {@code images} needs one (a few names reach the driver). */
    private static Dataset<Row> thresholdTable(
            SparkSession spark, Dataset<Row> images, Map<String, Double> scoreThresholds) {
        for (Row model : images.select("model_name").distinct().collectAsList()) {
            if (!scoreThresholds.containsKey(model.getString(0))) {
                throw new IllegalArgumentException("no score threshold for model '" + model.getString(0)
                        + "' (thresholds are given for " + scoreThresholds.keySet() + ")");
            }
        }
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
    private static Dataset<Row> cocoOutcomes(Dataset<Row> matched, Dataset<Row> counted) {
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
     * Step 3 for COCO: q(model, class, t, k), the interpolated precision at recall point k, for classes with labels.
     * q_k = max{precision_i : recall_i >= r_k}, 0 if none: the envelope at searchsorted(recall, r_k, 'left').
     */
    private static Dataset<Row> cocoPrecisionAtRecallPoints(Dataset<Row> coco, Dataset<Row> counted) {
        WindowSpec cumulative =
                scoreOrderPerClassAndThreshold().rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        Dataset<Row> curve = coco.withColumn("tp", sum("is_tp").over(cumulative))
                .withColumn("fp", sum("is_fp").over(cumulative))
                .join(counted, scalaSeq("model_name", "concept_name"))
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
        Dataset<Row> keys = gridKeys(counted, MetricGrids.IOU_THRESHOLDS.length, "t")
                .crossJoin(coco.sparkSession()
                        .range(MetricGrids.RECALL_POINTS.length)
                        .select(col("id").cast("int").as("k")));
        WindowSpec fromTheTop = Window.partitionBy("model_name", "concept_name", "t")
                .orderBy(col("k").desc())
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        return keys.join(curve, scalaSeq("model_name", "concept_name", "t", "k"), "left")
                .withColumn("q", coalesce(max("p").over(fromTheTop), lit(0.0)))
                .select("model_name", "concept_name", "t", "k", "q");
    }

    /** (model, class) of classes with labels, times 0..n-1 as column {@code name}. */
    private static Dataset<Row> gridKeys(Dataset<Row> counted, int n, String name) {
        return counted.select("model_name", "concept_name", "labels")
                .crossJoin(counted.sparkSession()
                        .range(n)
                        .select(col("id").cast("int").as(name)));
    }

    /**
     * Steps 2 and 3 for Ultralytics: ap(model, class, t) as compute_ap computes it from ap_per_class's curves, for
     * classes with labels (those without predictions get 0, as there).
     */
    private static Dataset<Row> ultralyticsAp(Dataset<Row> matched, Dataset<Row> counted) {
        Dataset<Row> predictions = perThreshold(matched, "ultralytics", "correct", "correct");
        WindowSpec order = scoreOrderPerClassAndThreshold();
        WindowSpec cumulative = order.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        WindowSpec following = order.rowsBetween(Window.currentRow(), Window.unboundedFollowing());
        Dataset<Row> curve = predictions
                .join(counted, scalaSeq("model_name", "concept_name"))
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
        Dataset<Row> interpolated = segments.withColumn("k_first", FIRST_RECALL_POINT_AT_LEAST.apply(col("r0")))
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
        // x = 1 lies on the end sentinel (precision 0); so does every point of a class without predictions
        Dataset<Row> keys = gridKeys(counted, MetricGrids.IOU_THRESHOLDS.length, "t")
                .crossJoin(matched.sparkSession()
                        .range(MetricGrids.RECALL_POINTS.length)
                        .select(col("id").cast("int").as("k")));
        WindowSpec byPoint =
                Window.partitionBy("model_name", "concept_name", "t").orderBy("k");
        return keys.join(interpolated, scalaSeq("model_name", "concept_name", "t", "k"), "left")
                .withColumn("y", coalesce(col("y"), lit(0.0)))
                .withColumn("x", RECALL_POINT.apply(col("k")))
                // np.trapz: sum of (x_k+1 - x_k) * (y_k+1 + y_k) / 2
                .withColumn(
                        "area",
                        lead("x", 1)
                                .over(byPoint)
                                .minus(col("x"))
                                .multiply(lead("y", 1).over(byPoint).plus(col("y")))
                                .divide(2.0))
                .groupBy("model_name", "concept_name", "t")
                .agg(coalesce(sum("area"), lit(0.0)).as("ap"));
    }

    /** Per class: everything but the rows of {@link #ALL}. */
    private static Dataset<Row> perClassRows(
            Dataset<Row> classes,
            Dataset<Row> labelTotals,
            Dataset<Row> detectionCounts,
            Dataset<Row> cocoPrecision,
            Dataset<Row> ultralyticsAp,
            Dataset<Row> coco,
            Dataset<Row> counted,
            Dataset<Row> thresholds) {
        Dataset<Row> cocoAp = cocoPrecision
                .groupBy("model_name", "concept_name")
                .agg(
                        avg("q").as("ap50_95"),
                        avg(when(col("t").equalTo(0), col("q"))).as("ap50"));
        Dataset<Row> ultralytics = ultralyticsAp
                .groupBy("model_name", "concept_name")
                .agg(
                        avg("ap").as("map50_95"),
                        avg(when(col("t").equalTo(0), col("ap"))).as("map50"));
        Dataset<Row> atIou50 = coco.filter(col("t").equalTo(0));
        Dataset<Row> atThreshold = atIou50.join(thresholds, "model_name")
                .filter(col("score").geq(col("score_threshold")))
                .groupBy("model_name", "concept_name")
                .agg(sum("is_tp").as("tp_at"), sum("is_fp").as("fp_at"));
        Dataset<Row> best = bestF1PerClass(atIou50, counted);
        Column tp = coalesce(col("tp_at"), lit(0L));
        Column fp = coalesce(col("fp_at"), lit(0L));
        Column labelCount = coalesce(col("labels"), lit(0L));
        Column fn = labelCount.minus(tp);
        return classes.join(labelTotals, scalaSeq("model_name", "concept_name"), "left")
                .join(detectionCounts, scalaSeq("model_name", "concept_name"), "left")
                .join(cocoAp, scalaSeq("model_name", "concept_name"), "left")
                .join(ultralytics, scalaSeq("model_name", "concept_name"), "left")
                .join(atThreshold, scalaSeq("model_name", "concept_name"), "left")
                .join(best, scalaSeq("model_name", "concept_name"), "left")
                .select(
                        col("model_name"),
                        col("concept_name"),
                        col("ap50_95"),
                        col("ap50"),
                        col("map50_95"),
                        col("map50"),
                        ratio(tp, tp.plus(fp)).as("precision"),
                        ratio(tp, labelCount).as("recall"),
                        when(
                                        labelCount.gt(0),
                                        ratio(
                                                tp.multiply(2),
                                                tp.multiply(2).plus(fp).plus(fn)))
                                .as("f1"),
                        tp.as("tp"),
                        fp.as("fp"),
                        fn.as("fn"),
                        col("best_f1"),
                        col("best_threshold"),
                        col("best_precision"),
                        col("best_recall"),
                        labelCount.as("labels"),
                        coalesce(col("detections"), lit(0L)).as("detections"),
                        coalesce(col("images"), lit(0L)).as("images"));
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
                .join(counted, scalaSeq("model_name", "concept_name"))
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

    /**
     * The {@link #ALL} rows: COCO's stats[0] and stats[1] (the mean over classes with labels of their interpolated
     * precisions), Ultralytics' mAP (the mean over classes with labels), tp, fp, fn summed over classes with the
     * precision, recall and F1 of those sums, and the F1-best threshold as Ultralytics chooses it.
     */
    private static Dataset<Row> allRows(
            Dataset<Row> perClass,
            Dataset<Row> images,
            Dataset<Row> cocoPrecision,
            Dataset<Row> ultralyticsAp,
            Dataset<Row> coco,
            Dataset<Row> counted) {
        Dataset<Row> cocoAp = cocoPrecision
                .groupBy("model_name")
                .agg(
                        avg("q").as("ap50_95"),
                        avg(when(col("t").equalTo(0), col("q"))).as("ap50"));
        Dataset<Row> ultralytics = ultralyticsAp
                .groupBy("model_name")
                .agg(
                        avg("ap").as("map50_95"),
                        avg(when(col("t").equalTo(0), col("ap"))).as("map50"));
        Dataset<Row> sums = perClass.groupBy("model_name")
                .agg(
                        sum("tp").as("tp"),
                        sum("fp").as("fp"),
                        sum("fn").as("fn"),
                        sum("labels").as("labels"),
                        sum("detections").as("detections"));
        Dataset<Row> imageCounts =
                images.groupBy("model_name").agg(countDistinct("image_id").as("images"));
        Dataset<Row> best = bestF1OverClasses(coco.filter(col("t").equalTo(0)), counted);
        Column tp = col("tp");
        Column fp = col("fp");
        Column fn = col("fn");
        return imageCounts
                .join(sums, scalaSeq("model_name"), "left")
                .join(cocoAp, scalaSeq("model_name"), "left")
                .join(ultralytics, scalaSeq("model_name"), "left")
                .join(best, scalaSeq("model_name"), "left")
                .select(
                        col("model_name"),
                        lit(ALL).as("concept_name"),
                        col("ap50_95"),
                        col("ap50"),
                        col("map50_95"),
                        col("map50"),
                        ratio(tp, tp.plus(fp)).as("precision"),
                        ratio(tp, col("labels")).as("recall"),
                        when(
                                        col("labels").gt(0),
                                        ratio(
                                                tp.multiply(2),
                                                tp.multiply(2).plus(fp).plus(fn)))
                                .as("f1"),
                        coalesce(tp, lit(0L)).as("tp"),
                        coalesce(fp, lit(0L)).as("fp"),
                        coalesce(fn, lit(0L)).as("fn"),
                        col("best_f1"),
                        col("best_threshold"),
                        col("best_precision"),
                        col("best_recall"),
                        coalesce(col("labels"), lit(0L)).as("labels"),
                        coalesce(col("detections"), lit(0L)).as("detections"),
                        col("images"));
    }

    /**
     * The F1-best threshold over all classes, as Ultralytics' ap_per_class chooses it: at each of 1000 confidences
     * (linspace(0, 1, 1000)) every class with labels has a precision (1 when nothing is scored that high), a recall
     * and an F1; their means over the classes form the mean F1 curve, which is smoothed by a box filter of 101
     * confidences (edges repeated) and its argmax (the first) is the threshold; best_f1, best_precision and
     * best_recall are the class means there, unsmoothed, as Ultralytics reports them. Unlike Ultralytics, the
     * precision and recall at a confidence count the detections scored at least it (COCO matching at IoU 0.5)
     * instead of interpolating between the detections' scores.
     */
    private static Dataset<Row> bestF1OverClasses(Dataset<Row> atIou50, Dataset<Row> counted) {
        Dataset<Row> perBucket = atIou50.withColumn("j", LAST_CONFIDENCE_AT_MOST.apply(col("score")))
                .filter(col("j").geq(0))
                .groupBy("model_name", "concept_name", "j")
                .agg(sum("is_tp").as("tp_j"), sum("is_fp").as("fp_j"));
        WindowSpec fromTheTop = Window.partitionBy("model_name", "concept_name")
                .orderBy(col("j").desc())
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        Column tp = coalesce(sum("tp_j").over(fromTheTop), lit(0L)).cast("double");
        Column fp = coalesce(sum("fp_j").over(fromTheTop), lit(0L)).cast("double");
        Dataset<Row> perClass = gridKeys(counted, MetricGrids.CONFIDENCES.length, "j")
                .join(perBucket, scalaSeq("model_name", "concept_name", "j"), "left")
                .withColumn("tp", tp)
                .withColumn("fp", fp)
                .withColumn(
                        "p",
                        when(
                                        col("tp").plus(col("fp")).gt(0),
                                        col("tp").divide(col("tp").plus(col("fp"))))
                                .otherwise(1.0))
                .withColumn("r", col("tp").divide(col("labels").cast("double")))
                .withColumn(
                        "f1",
                        col("p").multiply(col("r"))
                                .multiply(2)
                                .divide(col("p").plus(col("r")).plus(lit(ULTRALYTICS_EPS))));
        WindowSpec byConfidence = Window.partitionBy("model_name").orderBy("j");
        WindowSpec whole = byConfidence.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
        WindowSpec box = byConfidence.rowsBetween(-SMOOTH_HALF_WIDTH, SMOOTH_HALF_WIDTH);
        int lastIndex = MetricGrids.CONFIDENCES.length - 1;
        Column missingBelow = greatest(lit(0), lit(SMOOTH_HALF_WIDTH).minus(col("j")));
        Column missingAbove = greatest(lit(0), col("j").plus(SMOOTH_HALF_WIDTH).minus(lastIndex));
        Dataset<Row> mean = perClass.groupBy("model_name", "j")
                .agg(avg("f1").as("f1"), avg("p").as("p"), avg("r").as("r"))
                .withColumn(
                        "smoothed",
                        sum("f1")
                                .over(box)
                                .plus(missingBelow.multiply(first("f1").over(whole)))
                                .plus(missingAbove.multiply(last("f1").over(whole)))
                                .divide(2 * SMOOTH_HALF_WIDTH + 1));
        WindowSpec bestFirst =
                Window.partitionBy("model_name").orderBy(col("smoothed").desc(), col("j").asc());
        return mean.withColumn("choice", row_number().over(bestFirst))
                .filter(col("choice").equalTo(1))
                .select(
                        col("model_name"),
                        col("f1").as("best_f1"),
                        CONFIDENCE.apply(col("j")).as("best_threshold"),
                        col("p").as("best_precision"),
                        col("r").as("best_recall"));
    }

    private static Dataset<Row> conform(Dataset<Row> table, StructType schema) {
        Column[] columns = new Column[schema.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = col(schema.fields()[i].name()).cast(schema.fields()[i].dataType());
        }
        return table.select(columns);
    }

    private static scala.collection.immutable.Seq<String> scalaSeq(String... names) {
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
    }
}

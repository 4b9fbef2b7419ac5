package dev.inspection.jobs.evaluate.metrics;

import static dev.inspection.jobs.output.Tables.field;
import static org.apache.spark.sql.functions.arrays_zip;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.inspection.eval.BinaryCurve;
import dev.inspection.eval.PixelCounts;
import dev.inspection.eval.PixelCurves;
import dev.inspection.jobs.output.Tables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructType;

/**
 * Anomaly models' metrics over a labeled set, per model, computed with Spark so that hundreds of thousands of images
 * never pass through the driver: image AUROC and F1-max from exact scores (grouped by distinct score, cumulative
 * sums over a window sorted by score per model), a threshold at a false-positive rate of normal images (an exact
 * quantile by sort and row number), pixel AUROC, AUPRO and pixel F1 from per-image {@link PixelCounts} (summed per
 * bin: at most {@link PixelCounts#BINS} rows per kind and model reach the driver), and score histograms for plots.
 * The values equal those of {@link BinaryCurve} and {@link PixelCurves} on the same data.
 *
 * <p>Image inputs have columns {@code model_name} (string), {@code raw_score} (double) and {@code anomalous}
 * (boolean); pixel inputs {@code model_name} and the fields of {@link Tables#PIXEL_COUNTS}, flat (from a struct column:
 * {@code select(col("model_name"), col("pixel_counts.*"))}); rows whose score or counts are null (an image that
 * failed, an image without a mask) are left out.
 */
public final class AnomalyMetrics {

    /** anomalib's FPR limit for AUPRO. */
    public static final double AUPRO_FPR_LIMIT = 0.3;

    /** Bins of the score histogram over the normalized score [0, 1]. */
    public static final int HISTOGRAM_BINS = 50;

    /** One image's {@link PixelCounts} as a Spark struct (nullable as a column of the inspection rows). */
    /** The columns of {@link #imageMetrics}. */
    public static final StructType IMAGE_METRICS = createStructType(List.of(
            field("model_name", StringType),
            field("image_auroc", DoubleType),
            field("image_f1_max", DoubleType),
            field("image_f1_threshold", DoubleType),
            field("normal_images", LongType),
            field("anomalous_images", LongType)));

    /** The columns of {@link #thresholdAtFpr}. */
    public static final StructType FPR_THRESHOLDS = createStructType(List.of(
            field("model_name", StringType),
            field("threshold", DoubleType),
            field("fpr", DoubleType),
            field("normal_images", LongType),
            field("allowed_above", LongType)));

    /** The columns of {@link #pixelMetrics}. */
    public static final StructType PIXEL_METRICS = createStructType(List.of(
            field("model_name", StringType),
            field("pixel_auroc", DoubleType),
            field("aupro", DoubleType),
            field("pixel_f1_max", DoubleType),
            field("pixel_f1_threshold", DoubleType),
            field("masks", LongType)));

    private static final String MODEL = "model_name";
    private static final String SCORE = "raw_score";
    private static final String ANOMALOUS = "anomalous";

    private AnomalyMetrics() {}

    /**
     * Per model: {@code image_auroc} (NaN without both kinds), {@code image_f1_max}, {@code image_f1_threshold} (on
     * the raw scale; images scoring {@code >=} it are anomalous), {@code normal_images}, {@code anomalous_images}; as
     * {@link BinaryCurve#auroc()} and {@link BinaryCurve#f1Max()} compute them.
     */
    public static Dataset<Row> imageMetrics(Dataset<Row> scores) {
        Dataset<Row> groups = scores.filter(col(SCORE).isNotNull())
                .groupBy(col(MODEL), col(SCORE))
                .agg(
                        sum(when(col(ANOMALOUS), 1L).otherwise(0L)).as("pos"),
                        sum(when(col(ANOMALOUS), 0L).otherwise(1L)).as("neg"));
        WindowSpec downward = Window.partitionBy(MODEL)
                .orderBy(col(SCORE).desc())
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        WindowSpec whole = Window.partitionBy(MODEL);
        Dataset<Row> curve = groups.withColumn("tp", sum("pos").over(downward))
                .withColumn("fp", sum("neg").over(downward))
                .withColumn("P", sum("pos").over(whole))
                .withColumn("N", sum("neg").over(whole));
        // The same expressions, in the same order, as BinaryCurve.f1 and BinaryCurve.auroc.
        Column precision = col("tp").divide(col("tp").plus(col("fp")));
        Column recall = when(col("P").equalTo(0), lit(1.0)).otherwise(col("tp").divide(col("P")));
        Column f1 = lit(2.0).multiply(precision)
                .multiply(recall)
                .divide(precision.plus(recall).plus(1e-10));
        Column pairs =
                col("neg").multiply(col("tp").minus(col("pos")).plus(col("pos").divide(2.0)));
        return curve.groupBy(MODEL)
                .agg(
                        sum(pairs).as("pairs"),
                        // Of equal F1s the lowest threshold, as anomalib's argmax over ascending thresholds.
                        max(struct(f1.as("f1"), col(SCORE).multiply(-1.0).as("negated")))
                                .as("best"),
                        max("P").as("anomalous_images"),
                        max("N").as("normal_images"))
                .select(
                        col(MODEL),
                        when(
                                        col("anomalous_images")
                                                .gt(0)
                                                .and(col("normal_images").gt(0)),
                                        col("pairs")
                                                .divide(col("anomalous_images").multiply(col("normal_images"))))
                                .otherwise(lit(Double.NaN))
                                .as("image_auroc"),
                        col("best.f1").as("image_f1_max"),
                        col("best.negated").multiply(-1.0).as("image_f1_threshold"),
                        col("normal_images"),
                        col("anomalous_images"))
                .orderBy(MODEL);
    }

    /**
     * Per model, from its normal images only (anomalous ones are ignored): the threshold of
     * {@link BinaryCurve#thresholdAtFpr(double[], double)}, at or above which at most {@code floor(fpr * n)} of its
     * n normal images score. An exact quantile: the normal scores sorted per model and numbered, not
     * {@code approxQuantile}; one row per model reaches the driver.
     */
    public static Dataset<Row> thresholdAtFpr(Dataset<Row> scores, double fpr) {
        if (!(fpr >= 0 && fpr <= 1)) {
            throw new IllegalArgumentException("fpr must be in [0, 1], got " + fpr);
        }
        Dataset<Row> normal =
                scores.filter(not(col(ANOMALOUS)).and(col(SCORE).isNotNull())).select(MODEL, SCORE);
        WindowSpec downward = Window.partitionBy(MODEL).orderBy(col(SCORE).desc());
        Column allowed = floor(lit(fpr).multiply(col("n")).plus(1e-9));
        Dataset<Row> ranked = normal.withColumn("rank", row_number().over(downward))
                .withColumn("n", count(lit(1)).over(Window.partitionBy(MODEL)))
                .withColumn("k", allowed);
        // v: the (k+1)-th highest score; u: the lowest score above v; the lowest score for k >= n.
        Dataset<Row> perModel = ranked.groupBy(MODEL)
                .agg(
                        max(when(col("rank").equalTo(col("k").plus(1)), col(SCORE)))
                                .as("v"),
                        min(SCORE).as("lowest"),
                        max("n").as("n"),
                        max("k").as("k"));
        Dataset<Row> above = ranked.join(perModel.select(col(MODEL), col("v").as("v_of_model")), MODEL)
                .filter(col(SCORE).gt(col("v_of_model")))
                .groupBy(MODEL)
                .agg(min(SCORE).as("u"));
        List<Row> rows = new ArrayList<>();
        for (Row r : perModel.join(above, new String[] {MODEL}, "left")
                .orderBy(MODEL)
                .collectAsList()) {
            long n = r.getAs("n");
            long k = r.getAs("k");
            double threshold;
            if (k >= n) {
                threshold = r.<Double>getAs("lowest");
            } else if (r.isNullAt(r.fieldIndex("u"))) {
                threshold = Math.nextUp(r.<Double>getAs("v"));
            } else {
                threshold = BinaryCurve.midpointAbove(r.<Double>getAs("v"), r.<Double>getAs("u"));
            }
            rows.add(RowFactory.create(r.getAs(MODEL), threshold, fpr, n, Math.min(k, n)));
        }
        return scores.sparkSession().createDataFrame(rows, FPR_THRESHOLDS);
    }

    /**
     * The per-image pixel counts summed per model: explode each kind's sparse bins, sum per (model, bin). At most
     * {@link PixelCounts#BINS} rows per kind and model, and one row of totals per model, reach the driver.
     */
    public static Map<String, PixelCurves> pixelCurves(Dataset<Row> counts) {
        Dataset<Row> masked = counts.filter(col("normal_bins").isNotNull());
        Map<String, long[]> normal = binSums(masked, "normal_bins", "normal_pixels");
        Map<String, long[]> anomalous = binSums(masked, "anomalous_bins", "anomalous_pixels");
        Map<String, double[]> shares = new TreeMap<>();
        for (Map.Entry<String, Map<Integer, Number>> e :
                collectBins(masked, "region_bins", "region_shares").entrySet()) {
            double[] dense = new double[PixelCounts.BINS];
            e.getValue().forEach((bin, value) -> dense[bin] = value.doubleValue());
            shares.put(e.getKey(), dense);
        }
        Map<String, PixelCurves> curves = new LinkedHashMap<>();
        for (Row r : masked.groupBy(MODEL)
                .agg(sum("regions").as("regions"), sum("images").as("images"))
                .orderBy(MODEL)
                .collectAsList()) {
            String model = r.getString(0);
            PixelCounts summed = PixelCounts.dense(
                    normal.getOrDefault(model, new long[PixelCounts.BINS]),
                    anomalous.getOrDefault(model, new long[PixelCounts.BINS]),
                    shares.getOrDefault(model, new double[PixelCounts.BINS]),
                    r.getLong(1),
                    r.getLong(2));
            curves.put(model, PixelCurves.of(summed));
        }
        return curves;
    }

    private static Map<String, long[]> binSums(Dataset<Row> counts, String bins, String values) {
        Map<String, long[]> dense = new TreeMap<>();
        for (Map.Entry<String, Map<Integer, Number>> e :
                collectBins(counts, bins, values).entrySet()) {
            long[] histogram = new long[PixelCounts.BINS];
            e.getValue().forEach((bin, value) -> histogram[bin] = value.longValue());
            dense.put(e.getKey(), histogram);
        }
        return dense;
    }

    private static Map<String, Map<Integer, Number>> collectBins(Dataset<Row> counts, String bins, String values) {
        Map<String, Map<Integer, Number>> byModel = new TreeMap<>();
        for (Row r : counts.select(
                        col(MODEL), explode(arrays_zip(col(bins), col(values))).as("z"))
                .groupBy(col(MODEL), col("z." + bins).as("bin"))
                .agg(sum("z." + values).as("value"))
                .collectAsList()) {
            byModel.computeIfAbsent(r.getString(0), m -> new TreeMap<>()).put(r.getInt(1), (Number) r.get(2));
        }
        return byModel;
    }

    /**
     * Per model with masks: {@code pixel_auroc}, {@code aupro} (FPR limit 0.3), {@code pixel_f1_max}, {@code
     * pixel_f1_threshold} (a bin edge on the normalized scale), {@code masks} (images with a mask, normal ones
     * included), as {@link PixelCurves} computes them from the summed counts.
     */
    public static Dataset<Row> pixelMetrics(Dataset<Row> counts) {
        return pixelMetrics(pixelCurves(counts), counts.sparkSession());
    }

    /**
     * {@link #pixelMetrics(Dataset)} of curves already summed. A model whose counts have no anomalous pixel (normal
     * images only, counted for a threshold at a false-positive rate) has null metrics but {@code masks}.
     */
    public static Dataset<Row> pixelMetrics(Map<String, PixelCurves> summed, SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        summed.forEach((model, curves) -> {
            if (curves.counts().anomalousBins().length == 0) {
                rows.add(RowFactory.create(
                        model, null, null, null, null, curves.counts().images()));
                return;
            }
            BinaryCurve.F1Point best = curves.f1Max();
            rows.add(RowFactory.create(
                    model,
                    curves.pixelAuroc(),
                    curves.aupro(AUPRO_FPR_LIMIT),
                    best.f1(),
                    best.threshold(),
                    curves.counts().images()));
        });
        return spark.createDataFrame(rows, PIXEL_METRICS);
    }

    /**
     * Per model, the normal and anomalous images in {@link #HISTOGRAM_BINS} equal bins of the normalized score
     * {@code score} in [0, 1] (a score of 1 in the last bin): columns {@code model_name}, {@code bin}, {@code
     * bin_start}, {@code bin_end}, {@code normal_images}, {@code anomalous_images}; bins without an image are absent.
     */
    public static Dataset<Row> scoreHistogram(Dataset<Row> scores) {
        Column bin = greatest(
                        lit(0L),
                        least(lit((long) HISTOGRAM_BINS - 1), floor(col("score").multiply(HISTOGRAM_BINS))))
                .cast(IntegerType);
        return scores.filter(col("score").isNotNull())
                .groupBy(col(MODEL), bin.as("bin"))
                .agg(
                        sum(when(col(ANOMALOUS), 0L).otherwise(1L)).as("normal_images"),
                        sum(when(col(ANOMALOUS), 1L).otherwise(0L)).as("anomalous_images"))
                .select(
                        col(MODEL),
                        col("bin"),
                        col("bin").divide(HISTOGRAM_BINS).as("bin_start"),
                        col("bin").plus(1).divide(HISTOGRAM_BINS).as("bin_end"),
                        col("normal_images"),
                        col("anomalous_images"))
                .orderBy(MODEL, "bin");
    }

    /** The schema an image-score input needs: {@code model_name}, {@code raw_score}, {@code anomalous}. */
    public static StructType imageScoresSchema() {
        return createStructType(
                List.of(field(MODEL, StringType), field(SCORE, DoubleType), field(ANOMALOUS, BooleanType)));
    }
}

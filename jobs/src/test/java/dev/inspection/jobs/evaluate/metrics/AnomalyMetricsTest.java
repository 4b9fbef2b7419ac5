package dev.inspection.jobs.evaluate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.inspection.eval.BinaryCurve;
import dev.inspection.eval.PixelCounts;
import dev.inspection.eval.PixelCurves;
import dev.inspection.jobs.output.Tables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class AnomalyMetricsTest {

    private static SparkSession spark;

    /** Model "grid": 300 scores on a 0.05 grid (many ties); model "distinct": 60 distinct scores. */
    private static final double[] GRID_SCORES = new double[300];

    private static final boolean[] GRID_LABELS = new boolean[300];
    private static final double[] DISTINCT_SCORES = new double[60];
    private static final boolean[] DISTINCT_LABELS = new boolean[60];

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("AnomalyMetricsTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        Random random = new Random(14);
        for (int i = 0; i < GRID_SCORES.length; i++) {
            GRID_LABELS[i] = random.nextDouble() < 0.3;
            GRID_SCORES[i] = Math.round((random.nextGaussian() + (GRID_LABELS[i] ? 1.2 : 0)) * 20) / 20.0;
        }
        for (int i = 0; i < DISTINCT_SCORES.length; i++) {
            DISTINCT_LABELS[i] = i % 3 == 0;
            DISTINCT_SCORES[i] = random.nextDouble() + (DISTINCT_LABELS[i] ? 0.3 : 0);
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Dataset<Row> scores() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < GRID_SCORES.length; i++) {
            rows.add(RowFactory.create("grid", GRID_SCORES[i], GRID_LABELS[i]));
        }
        for (int i = 0; i < DISTINCT_SCORES.length; i++) {
            rows.add(RowFactory.create("distinct", DISTINCT_SCORES[i], DISTINCT_LABELS[i]));
        }
        rows.add(RowFactory.create("grid", null, false));
        return spark.createDataFrame(rows, AnomalyMetrics.imageScoresSchema()).repartition(3);
    }

    private static double[] normalScores(double[] scores, boolean[] labels) {
        List<Double> normal = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (!labels[i]) {
                normal.add(scores[i]);
            }
        }
        return normal.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void imageMetricsEqualThePureOnes() {
        List<Row> rows = AnomalyMetrics.imageMetrics(scores()).collectAsList();
        assertThat(rows).extracting(r -> r.getString(0)).containsExactly("distinct", "grid");
        checkImageRow(rows.get(0), BinaryCurve.of(DISTINCT_SCORES, DISTINCT_LABELS));
        checkImageRow(rows.get(1), BinaryCurve.of(GRID_SCORES, GRID_LABELS));
    }

    private static void checkImageRow(Row row, BinaryCurve pure) {
        String model = row.getString(0);
        assertThat(row.<Double>getAs("image_auroc")).as("%s AUROC", model).isCloseTo(pure.auroc(), within(1e-12));
        assertThat(row.<Double>getAs("image_f1_max"))
                .as("%s F1-max", model)
                .isEqualTo(pure.f1Max().f1());
        assertThat(row.<Double>getAs("image_f1_threshold"))
                .as("%s F1 threshold", model)
                .isEqualTo(pure.f1Max().threshold());
        assertThat(row.<Long>getAs("normal_images")).as("%s normal", model).isEqualTo(pure.negatives());
        assertThat(row.<Long>getAs("anomalous_images"))
                .as("%s anomalous", model)
                .isEqualTo(pure.positives());
    }

    @Test
    void aModelWithoutAnomalousImagesHasNoAurocAndAnomalibsLowestThreshold() {
        List<Row> rows = List.of(
                RowFactory.create("normal-only", 0.4, false),
                RowFactory.create("normal-only", 0.2, false),
                RowFactory.create("normal-only", 0.7, false));
        Row metrics = AnomalyMetrics.imageMetrics(spark.createDataFrame(rows, AnomalyMetrics.imageScoresSchema()))
                .collectAsList()
                .get(0);
        assertThat(metrics.<Double>getAs("image_auroc")).as("AUROC").isNaN();
        assertThat(metrics.<Double>getAs("image_f1_max")).as("F1").isEqualTo(0.0);
        assertThat(metrics.<Double>getAs("image_f1_threshold")).as("threshold").isEqualTo(0.2);
        assertThat(metrics.<Long>getAs("anomalous_images")).as("anomalous").isEqualTo(0);
    }

    @Test
    void fprThresholdsEqualThePureOnes() {
        for (double fpr : new double[] {0.0, 0.01, 0.05, 0.3, 1.0}) {
            List<Row> rows = AnomalyMetrics.thresholdAtFpr(scores(), fpr).collectAsList();
            assertThat(rows).extracting(r -> r.getString(0)).containsExactly("distinct", "grid");
            assertThat(rows.get(0).getDouble(1))
                    .as("distinct at FPR %s", fpr)
                    .isEqualTo(BinaryCurve.thresholdAtFpr(normalScores(DISTINCT_SCORES, DISTINCT_LABELS), fpr));
            double[] gridNormal = normalScores(GRID_SCORES, GRID_LABELS);
            double threshold = rows.get(1).getDouble(1);
            assertThat(threshold).as("grid at FPR %s", fpr).isEqualTo(BinaryCurve.thresholdAtFpr(gridNormal, fpr));
            long flagged = Arrays.stream(gridNormal).filter(s -> s >= threshold).count();
            assertThat(flagged).as("grid normal images flagged at FPR %s", fpr).isLessThanOrEqualTo((long)
                    Math.floor(fpr * gridNormal.length + 1e-9));
        }
    }

    @Test
    void pixelMetricsEqualThePureOnes() {
        Random random = new Random(7);
        List<Row> rows = new ArrayList<>();
        List<PixelCounts> pure = new ArrayList<>();
        int w = 24;
        int h = 16;
        for (int image = 0; image < 6; image++) {
            float[] map = new float[w * h];
            boolean[] mask = new boolean[w * h];
            int x0 = random.nextInt(w - 6);
            int y0 = random.nextInt(h - 6);
            for (int p = 0; p < map.length; p++) {
                int x = p % w;
                int y = p / w;
                mask[p] = image % 3 != 0 && x >= x0 && x < x0 + 5 && y >= y0 && y < y0 + 4;
                map[p] = (float) Math.min(1, 0.6 * random.nextDouble() + (mask[p] ? 0.4 * random.nextDouble() : 0));
            }
            PixelCounts counts = PixelCounts.of(map, mask, w, h);
            pure.add(counts);
            rows.add(RowFactory.create("m", Tables.pixelCountsRow(counts)));
        }
        rows.add(RowFactory.create("m", null));
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("model_name", DataTypes.StringType, false),
            DataTypes.createStructField("pixel_counts", Tables.PIXEL_COUNTS, true)
        });
        Dataset<Row> inspected = spark.createDataFrame(rows, schema).repartition(2);
        Row metrics = AnomalyMetrics.pixelMetrics(inspected.select("model_name", "pixel_counts.*"))
                .collectAsList()
                .get(0);
        PixelCurves expected = PixelCurves.of(PixelCounts.sum(pure));
        assertThat(metrics.<Double>getAs("pixel_auroc"))
                .as("pixel AUROC")
                .isCloseTo(expected.pixelAuroc(), within(1e-12));
        assertThat(metrics.<Double>getAs("aupro")).as("AUPRO").isCloseTo(expected.aupro(0.3), within(1e-12));
        assertThat(metrics.<Double>getAs("pixel_f1_max"))
                .as("pixel F1")
                .isEqualTo(expected.f1Max().f1());
        assertThat(metrics.<Double>getAs("pixel_f1_threshold"))
                .as("pixel F1 threshold")
                .isEqualTo(expected.f1Max().threshold());
        assertThat(metrics.<Long>getAs("masks")).as("images with a mask").isEqualTo(6);
    }

    @Test
    void scoreHistogramCountsEachKindPerBin() {
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("model_name", DataTypes.StringType, false),
            DataTypes.createStructField("score", DataTypes.DoubleType, true),
            DataTypes.createStructField("anomalous", DataTypes.BooleanType, false)
        });
        List<Row> rows = List.of(
                RowFactory.create("m", 0.0, false),
                RowFactory.create("m", 0.019, false),
                RowFactory.create("m", 0.021, true),
                RowFactory.create("m", 1.0, true),
                RowFactory.create("m", 0.99, false),
                RowFactory.create("m", null, false));
        List<Row> histogram = AnomalyMetrics.scoreHistogram(spark.createDataFrame(rows, schema))
                .collectAsList();
        assertThat(histogram)
                .extracting(r -> r.getInt(1) + ":" + r.getLong(4) + "/" + r.getLong(5))
                .containsExactly("0:2/0", "1:0/1", "49:1/1");
        assertThat(histogram.get(2).getDouble(2)).as("last bin start").isEqualTo(0.98);
        assertThat(histogram.get(2).getDouble(3)).as("last bin end").isEqualTo(1.0);
    }
}

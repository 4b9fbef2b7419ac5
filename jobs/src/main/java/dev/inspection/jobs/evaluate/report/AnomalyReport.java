package dev.inspection.jobs.evaluate.report;

import dev.inspection.anomaly.AnomalySpec;
import dev.inspection.jobs.evaluate.metrics.AnomalyMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/** How an evaluation shows an anomaly model's metrics: a line of the printed report, and its score histogram. */
public final class AnomalyReport {

    private AnomalyReport() {}

    /** One {@code anomaly_metrics} row as the job prints it. */
    public static String line(Row r) {
        StringBuilder line = new StringBuilder(
                r.<Long>getAs("anomalous_images") == 0
                        ? String.format(
                                Locale.ROOT,
                                "%s: %d normal images, no anomalous one",
                                r.<String>getAs("model_name"),
                                r.<Long>getAs("normal_images"))
                        : String.format(
                                Locale.ROOT,
                                "%s: image AUROC %s, F1-max %s at raw score %s (%d normal, %d anomalous images)",
                                r.<String>getAs("model_name"),
                                number(r.getAs("image_auroc")),
                                number(r.getAs("image_f1_max")),
                                number(r.getAs("image_f1_threshold")),
                                r.<Long>getAs("normal_images"),
                                r.<Long>getAs("anomalous_images")));
        if (r.getAs("pixel_auroc") != null) {
            line.append(String.format(
                    Locale.ROOT,
                    "; pixel AUROC %s, AUPRO %s, pixel F1-max %s at %s (%d images with masks)",
                    number(r.getAs("pixel_auroc")),
                    number(r.getAs("aupro")),
                    number(r.getAs("pixel_f1_max")),
                    number(r.getAs("pixel_f1_threshold")),
                    r.<Long>getAs("masks")));
        }
        return line.toString();
    }

    /** {@code AnomalyMetrics.scoreHistogram}'s rows, by model. */
    public static Map<String, List<Row>> byModel(List<Row> histogram) {
        Map<String, List<Row>> byModel = new TreeMap<>();
        histogram.forEach(r -> byModel.computeIfAbsent(r.getAs("model_name"), m -> new ArrayList<>())
                .add(r));
        return byModel;
    }

    /** Writes {@code scores-MODEL.png}: the normal and anomalous images' normalized scores, the threshold drawn. */
    public static void plot(String plots, String model, List<Row> histogram, Configuration conf) throws IOException {
        int bins = AnomalyMetrics.HISTOGRAM_BINS;
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = (double) i / bins;
        }
        long[] normal = new long[bins];
        long[] anomalous = new long[bins];
        for (Row r : histogram) {
            int bin = r.getAs("bin");
            normal[bin] = r.getAs("normal_images");
            anomalous[bin] = r.getAs("anomalous_images");
        }
        byte[] png = Plots.scoreHistogram(
                model + ": image scores (normalized)",
                edges,
                normal,
                anomalous,
                AnomalySpec.THRESHOLD,
                "threshold " + AnomalySpec.THRESHOLD);
        Plots.writePng(plots, "scores-" + model + ".png", png, conf);
    }

    private static String number(Double v) {
        return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}

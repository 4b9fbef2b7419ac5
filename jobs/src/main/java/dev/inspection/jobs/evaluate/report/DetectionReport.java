package dev.inspection.jobs.evaluate.report;

import dev.inspection.eval.UltralyticsMatcher;
import dev.inspection.jobs.evaluate.metrics.DetectionMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/**
 * How an evaluation shows a detector's metrics: a line of the printed report per model and class, and per model its
 * precision-recall curves ({@code pr-MODEL.png}) and confusion matrix ({@code confusion-MODEL.png}).
 */
public final class DetectionReport {

    private DetectionReport() {}

    /** One {@code detection_metrics} row as the job prints it. */
    public static String line(Row r) {
        return String.format(
                Locale.ROOT,
                "%s %-14s mAP50-95 %s  mAP50 %s (pycocotools)  %s / %s (Ultralytics)  P %s R %s F1 %s at score >= its"
                        + " threshold; best F1 %s at %s; %d labels, %d detections, %d images",
                r.<String>getAs("model_name"),
                r.<String>getAs("concept_name"),
                number(r.getAs("ap50_95")),
                number(r.getAs("ap50")),
                number(r.getAs("map50_95")),
                number(r.getAs("map50")),
                number(r.getAs("precision")),
                number(r.getAs("recall")),
                number(r.getAs("f1")),
                number(r.getAs("best_f1")),
                number(r.getAs("best_threshold")),
                r.<Long>getAs("labels"),
                r.<Long>getAs("detections"),
                r.<Long>getAs("images"));
    }

    /** Writes each model's plots from the result's curves and confusion counts (small: a few rows per class). */
    public static void plots(DetectionMetrics.Result result, List<Row> metrics, String plots, Configuration conf)
            throws IOException {
        Map<String, Double> ap50 = new TreeMap<>();
        metrics.forEach(r -> ap50.put(r.getAs("model_name") + "|" + r.getAs("concept_name"), r.getAs("ap50")));
        Map<String, Map<String, List<double[]>>> curves = new TreeMap<>();
        for (Row r : result.curves().collectAsList()) { // each class's points in recall order
            curves.computeIfAbsent(r.getAs("model_name"), m -> new TreeMap<>())
                    .computeIfAbsent(r.getAs("concept_name"), c -> new ArrayList<>())
                    .add(new double[] {r.getAs("recall"), r.getAs("precision")});
        }
        for (Map.Entry<String, Map<String, List<double[]>>> model : curves.entrySet()) {
            List<Plots.Curve> lines = new ArrayList<>();
            Plots.Curve all = null;
            for (Map.Entry<String, List<double[]>> concept : model.getValue().entrySet()) {
                Double ap = ap50.get(model.getKey() + "|" + concept.getKey());
                Plots.Curve curve = curve(
                        String.format(
                                Locale.ROOT,
                                "%s %s",
                                concept.getKey().equals(DetectionMetrics.ALL) ? "all classes" : concept.getKey(),
                                ap == null ? "" : String.format(Locale.ROOT, "%.3f mAP@0.5", ap)),
                        concept.getValue());
                if (concept.getKey().equals(DetectionMetrics.ALL)) {
                    all = curve;
                } else {
                    lines.add(curve);
                }
            }
            if (all != null) {
                lines.add(all); // drawn last, thick
            }
            Plots.writePng(
                    plots,
                    "pr-" + model.getKey() + ".png",
                    Plots.precisionRecall(model.getKey() + ": precision-recall (IoU 0.5)", lines),
                    conf);
        }
        Map<String, List<Row>> confusion = new TreeMap<>();
        result.confusion()
                .collectAsList()
                .forEach(r -> confusion
                        .computeIfAbsent(r.getAs("model_name"), m -> new ArrayList<>())
                        .add(r));
        for (Map.Entry<String, List<Row>> model : confusion.entrySet()) {
            TreeSet<String> classes = new TreeSet<>();
            model.getValue().forEach(r -> {
                classes.add(r.getAs("predicted"));
                classes.add(r.getAs("actual"));
            });
            classes.remove(UltralyticsMatcher.BACKGROUND);
            List<String> names = new ArrayList<>(classes);
            names.add(UltralyticsMatcher.BACKGROUND);
            long[][] counts = new long[names.size()][names.size()];
            for (Row r : model.getValue()) {
                counts[names.indexOf(r.<String>getAs("predicted"))][names.indexOf(r.<String>getAs("actual"))] +=
                        r.<Long>getAs("count");
            }
            Plots.writePng(
                    plots,
                    "confusion-" + model.getKey() + ".png",
                    Plots.confusionMatrix(model.getKey() + ": confusion matrix (score 0.25, IoU 0.45)", names, counts),
                    conf);
        }
    }

    private static Plots.Curve curve(String label, List<double[]> points) {
        double[] recall = new double[points.size()];
        double[] precision = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            recall[i] = points.get(i)[0];
            precision[i] = points.get(i)[1];
        }
        return new Plots.Curve(label.strip(), recall, precision);
    }

    private static String number(Double v) {
        return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}

package dev.inspection.jobs.evaluate.metrics;

import dev.inspection.eval.MetricGrids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The last steps of {@link DetectionMetrics}, on the driver: from what Spark summed over the detections (a few rows per
 * class: COCO's best precision at each recall point, Ultralytics' interpolated curve at the 101 points, the counts at
 * the operating threshold and per confidence bucket, the F1-best threshold of each class) to the metrics rows and the
 * curves. These tables have at most classes x 10 x 101 (or classes x 1000) rows whatever the number of images, and as
 * Spark queries they were about forty small Spark jobs: 172 s of an evaluation of eight COCO images here.
 */
final class MetricRows {

    private static final int THRESHOLDS = MetricGrids.IOU_THRESHOLDS.length;
    private static final int POINTS = MetricGrids.RECALL_POINTS.length;
    private static final int CONFIDENCES = MetricGrids.CONFIDENCES.length;

    /** ap_per_class's eps: in F1. */
    private static final double ULTRALYTICS_EPS = 1e-16;

    /** Ultralytics' F1 smoothing: a box filter of 2 * round(1000 * 0.1) / 2 + 1 = 101 confidences. */
    private static final int SMOOTH_HALF_WIDTH = 50;

    /** A model's class. */
    record Key(String model, String concept) implements Comparable<Key> {
        static Key of(Row r) {
            return new Key(r.getString(0), r.getString(1));
        }

        @Override
        public int compareTo(Key o) {
            int c = model.compareTo(o.model);
            return c != 0 ? c : concept.compareTo(o.concept);
        }
    }

    /** What one class of one model adds up to. */
    private static final class PerClass {
        long labels;
        long images;
        long detections;
        long tpAt;
        long fpAt;
        /** COCO's interpolated precision q[t][k]; null for a class without labels. */
        double[][] q;
        /** Ultralytics' interpolated curve y[t][k], 0 where no segment reaches; null for a class without labels. */
        double[][] y;
        /** best_f1, best_threshold, best_precision, best_recall; null without labels. */
        Object[] best;
        /** Detections at IoU 0.5 counted per confidence bucket j: tp and fp. */
        long[][] buckets;
    }

    private final Map<Key, PerClass> classes = new TreeMap<>();
    private final Map<String, Long> images = new TreeMap<>();

    private PerClass of(Row r) {
        return classes.computeIfAbsent(Key.of(r), k -> new PerClass());
    }

    /** model, images: every model evaluated, with its images. */
    MetricRows images(List<Row> rows) {
        rows.forEach(r -> images.put(r.getString(0), ((Number) r.get(1)).longValue()));
        return this;
    }

    /** model, concept, labels, images: the labelled classes (a class of crowd regions alone has 0 labels). */
    MetricRows labels(List<Row> rows) {
        for (Row r : rows) {
            PerClass c = of(r);
            c.labels = ((Number) r.get(2)).longValue();
            c.images = ((Number) r.get(3)).longValue();
            if (c.labels > 0) {
                c.q = new double[THRESHOLDS][POINTS];
                c.y = new double[THRESHOLDS][POINTS];
                c.buckets = new long[CONFIDENCES][2];
            }
        }
        return this;
    }

    /** model, concept, detections. */
    MetricRows detections(List<Row> rows) {
        rows.forEach(r -> of(r).detections = ((Number) r.get(2)).longValue());
        return this;
    }

    /**
     * model, concept, t, k, p: COCO's highest precision among the detections whose recall's last recall point is k.
     * q_k = max{p_k' : k' >= k}, 0 if none: the envelope at searchsorted(recall, r_k, 'left').
     */
    MetricRows cocoPoints(List<Row> rows) {
        Map<Key, double[][]> p = new LinkedHashMap<>();
        for (Row r : rows) {
            double[][] points = p.computeIfAbsent(Key.of(r), k -> new double[THRESHOLDS][POINTS]);
            points[r.getInt(2)][r.getInt(3)] = r.getDouble(4); // precisions are positive: 0 is none
        }
        classes.forEach((key, c) -> {
            double[][] points = p.get(key);
            if (c.q == null || points == null) {
                return;
            }
            for (int t = 0; t < THRESHOLDS; t++) {
                double envelope = 0;
                for (int k = POINTS - 1; k >= 0; k--) {
                    envelope = Math.max(envelope, points[t][k]);
                    c.q[t][k] = envelope;
                }
            }
        });
        return this;
    }

    /** model, concept, t, k, y: Ultralytics' interpolated curve where a segment of it reaches recall point k. */
    MetricRows ultralyticsPoints(List<Row> rows) {
        for (Row r : rows) {
            PerClass c = classes.get(Key.of(r));
            if (c != null && c.y != null) {
                c.y[r.getInt(2)][r.getInt(3)] = r.getDouble(4);
            }
        }
        return this;
    }

    /** model, concept, tp, fp: COCO's matches at IoU 0.5 among the detections scored at least the threshold. */
    MetricRows atThreshold(List<Row> rows) {
        for (Row r : rows) {
            PerClass c = of(r);
            c.tpAt = ((Number) r.get(2)).longValue();
            c.fpAt = ((Number) r.get(3)).longValue();
        }
        return this;
    }

    /** model, concept, best_f1, best_threshold, best_precision, best_recall. */
    MetricRows bestPerClass(List<Row> rows) {
        rows.forEach(r -> of(r).best = new Object[] {r.get(2), r.get(3), r.get(4), r.get(5)});
        return this;
    }

    /** model, concept, j, tp, fp: COCO's matches at IoU 0.5 of the detections in confidence bucket j. */
    MetricRows confidenceBuckets(List<Row> rows) {
        for (Row r : rows) {
            PerClass c = classes.get(Key.of(r));
            if (c != null && c.buckets != null) {
                c.buckets[r.getInt(2)][0] = ((Number) r.get(3)).longValue();
                c.buckets[r.getInt(2)][1] = ((Number) r.get(4)).longValue();
            }
        }
        return this;
    }

    /** The metrics rows ({@link DetectionMetrics#SCHEMA}): each class, then each model's {@link DetectionMetrics#ALL}. */
    List<Row> metrics() {
        List<Row> rows = new ArrayList<>();
        Map<String, long[]> sums = new TreeMap<>(); // tp, fp, fn, labels, detections
        classes.forEach((key, c) -> {
            long fn = c.labels - c.tpAt;
            Object[] best = c.best == null ? new Object[4] : c.best;
            rows.add(row(
                    key.model(),
                    key.concept(),
                    c.q == null ? null : mean(c.q, THRESHOLDS),
                    c.q == null ? null : mean(c.q, 1),
                    c.y == null ? null : mean(trapz(c.y), THRESHOLDS),
                    c.y == null ? null : trapz(c.y)[0],
                    c.tpAt,
                    c.fpAt,
                    fn,
                    c.labels,
                    best,
                    c.detections,
                    c.images));
            long[] s = sums.computeIfAbsent(key.model(), m -> new long[5]);
            s[0] += c.tpAt;
            s[1] += c.fpAt;
            s[2] += fn;
            s[3] += c.labels;
            s[4] += c.detections;
        });
        images.forEach((model, count) -> {
            List<PerClass> labelled = classes.entrySet().stream()
                    .filter(e -> e.getKey().model().equals(model) && e.getValue().q != null)
                    .map(Map.Entry::getValue)
                    .toList();
            long[] s = sums.get(model);
            rows.add(row(
                    model,
                    DetectionMetrics.ALL,
                    meanOver(labelled, c -> mean(c.q, THRESHOLDS)),
                    meanOver(labelled, c -> mean(c.q, 1)),
                    meanOver(labelled, c -> mean(trapz(c.y), THRESHOLDS)),
                    meanOver(labelled, c -> trapz(c.y)[0]),
                    s == null ? null : s[0],
                    s == null ? null : s[1],
                    s == null ? null : s[2],
                    s == null ? null : s[3],
                    bestOverClasses(labelled),
                    s == null ? 0L : s[4],
                    count));
        });
        return rows;
    }

    /** COCO's precision at IoU 0.5 at each recall point ({@link DetectionMetrics#CURVE_SCHEMA}), and its class mean. */
    List<Row> curves() {
        List<Row> rows = new ArrayList<>();
        Map<String, List<PerClass>> labelled = new TreeMap<>();
        classes.forEach((key, c) -> {
            if (c.q != null) {
                labelled.computeIfAbsent(key.model(), m -> new ArrayList<>()).add(c);
                for (int k = 0; k < POINTS; k++) {
                    rows.add(RowFactory.create(key.model(), key.concept(), MetricGrids.RECALL_POINTS[k], c.q[0][k]));
                }
            }
        });
        labelled.forEach((model, list) -> {
            for (int k = 0; k < POINTS; k++) {
                int point = k;
                rows.add(RowFactory.create(
                        model, DetectionMetrics.ALL, MetricGrids.RECALL_POINTS[k], meanOver(list, c -> c.q[0][point])));
            }
        });
        return rows;
    }

    private static Row row(
            String model,
            String concept,
            Double ap5095,
            Double ap50,
            Double map5095,
            Double map50,
            Long tp,
            Long fp,
            Long fn,
            Long labels,
            Object[] best,
            long detections,
            long images) {
        Double recall = labels == null ? null : ratio(tp, labels);
        Double f1 = labels == null || labels == 0 ? null : ratio(2 * tp, 2 * tp + fp + fn);
        return RowFactory.create(
                model,
                concept,
                ap5095,
                ap50,
                map5095,
                map50,
                tp == null ? null : ratio(tp, tp + fp),
                recall,
                f1,
                tp == null ? 0L : tp,
                fp == null ? 0L : fp,
                fn == null ? 0L : fn,
                best[0],
                best[1],
                best[2],
                best[3],
                labels == null ? 0L : labels,
                detections,
                images);
    }

    /** numerator / denominator, null when the denominator is 0. */
    private static Double ratio(long numerator, long denominator) {
        return denominator > 0 ? (double) numerator / (double) denominator : null;
    }

    /** The mean of the first {@code thresholds} rows' values. */
    private static double mean(double[][] values, int thresholds) {
        double sum = 0;
        for (int t = 0; t < thresholds; t++) {
            for (double v : values[t]) {
                sum += v;
            }
        }
        return sum / (thresholds * (double) values[0].length);
    }

    private static double mean(double[] values, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return sum / n;
    }

    /** The mean over classes, null for none. */
    private static Double meanOver(List<PerClass> classes, java.util.function.ToDoubleFunction<PerClass> value) {
        return classes.isEmpty() ? null : classes.stream().mapToDouble(value).sum() / classes.size();
    }

    /** np.trapz of each IoU threshold's curve over the recall points: sum of (x_k+1 - x_k) * (y_k+1 + y_k) / 2. */
    private static double[] trapz(double[][] y) {
        double[] ap = new double[y.length];
        double[] x = MetricGrids.RECALL_POINTS;
        for (int t = 0; t < y.length; t++) {
            for (int k = 0; k + 1 < x.length; k++) {
                ap[t] += (x[k + 1] - x[k]) * (y[t][k + 1] + y[t][k]) / 2.0;
            }
        }
        return ap;
    }

    /**
     * The F1-best threshold over all classes, as Ultralytics' ap_per_class chooses it: at each of 1000 confidences
     * (linspace(0, 1, 1000)) every class with labels has a precision (1 when nothing is scored that high), a recall
     * and an F1; their means over the classes form the mean F1 curve, which is smoothed by a box filter of 101
     * confidences (edges repeated) and its argmax (the first) is the threshold; best_f1, best_precision and
     * best_recall are the class means there, unsmoothed, as Ultralytics reports them. Unlike Ultralytics, the
     * precision and recall at a confidence count the detections scored at least it (COCO matching at IoU 0.5)
     * instead of interpolating between the detections' scores. Nulls without a class with labels.
     */
    private static Object[] bestOverClasses(List<PerClass> labelled) {
        if (labelled.isEmpty()) {
            return new Object[4];
        }
        double[] f1 = new double[CONFIDENCES];
        double[] p = new double[CONFIDENCES];
        double[] r = new double[CONFIDENCES];
        for (PerClass c : labelled) {
            long tp = 0;
            long fp = 0;
            for (int j = CONFIDENCES - 1; j >= 0; j--) {
                tp += c.buckets[j][0];
                fp += c.buckets[j][1];
                double precision = tp + fp > 0 ? (double) tp / (double) (tp + fp) : 1.0;
                double recall = (double) tp / (double) c.labels;
                p[j] += precision;
                r[j] += recall;
                f1[j] += precision * recall * 2 / (precision + recall + ULTRALYTICS_EPS);
            }
        }
        for (int j = 0; j < CONFIDENCES; j++) {
            p[j] /= labelled.size();
            r[j] /= labelled.size();
            f1[j] /= labelled.size();
        }
        int best = 0;
        double bestSmoothed = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < CONFIDENCES; j++) {
            double sum = 0;
            for (int i = j - SMOOTH_HALF_WIDTH; i <= j + SMOOTH_HALF_WIDTH; i++) {
                sum += f1[Math.max(0, Math.min(CONFIDENCES - 1, i))];
            }
            double smoothed = sum / (2 * SMOOTH_HALF_WIDTH + 1);
            if (smoothed > bestSmoothed) {
                bestSmoothed = smoothed;
                best = j;
            }
        }
        return new Object[] {f1[best], MetricGrids.CONFIDENCES[best], p[best], r[best]};
    }
}

package dev.inspection.jobs.evaluate.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A plain-loops port of pycocotools' COCOeval for boxes (evaluateImg, accumulate, the AP of summarize), area range
 * all, maxDets 100, written apart from {@link DetectionMetrics} to check it: images in the order given, each image's
 * detections in the order given (pycocotools' mergesort keeps ties in it), IoU as maskApi.c's bbIou computes it.
 */
public final class CocoEvalReference {

    /** A ground-truth box. */
    public record Label(
            String imageId, String concept, double top, double left, double bottom, double right, boolean crowd) {}

    /** A detection. */
    public record Detection(
            String imageId, String concept, double score, double top, double left, double bottom, double right) {}

    /** Per class with labels its AP50-95 and AP50 (null for a class without labels), and stats[0] and stats[1]. */
    public record Result(
            Map<String, Double> ap50To95, Map<String, Double> ap50, double meanAp50To95, double meanAp50) {}

    private static final int MAX_DETECTIONS = 100;

    private CocoEvalReference() {}

    /** COCOeval over every class that has a label or a detection. */
    public static Result evaluate(List<String> images, List<Label> labels, List<Detection> detections) {
        double[] iouThresholds = new double[10];
        for (int t = 0; t < 10; t++) {
            iouThresholds[t] = t * ((0.95 - 0.5) / 9) + 0.5;
        }
        iouThresholds[9] = 0.95;
        double[] recallPoints = new double[101];
        for (int r = 0; r < 101; r++) {
            recallPoints[r] = r * (1.0 / 100);
        }
        recallPoints[100] = 1.0;
        TreeSet<String> classes = new TreeSet<>();
        labels.forEach(l -> classes.add(l.concept()));
        detections.forEach(d -> classes.add(d.concept()));
        Map<String, Double> ap5095 = new TreeMap<>();
        Map<String, Double> ap50 = new TreeMap<>();
        double sumAll = 0;
        double sum50 = 0;
        int classesWithLabels = 0;
        for (String concept : classes) {
            // evaluateImg per image, then accumulate's concatenation in image order
            List<double[]> scoresAndOutcomes = new ArrayList<>(); // score, then per threshold 1 tp, 0 fp, -1 ignored
            int npig = 0;
            for (String image : images) {
                List<Label> gts = new ArrayList<>();
                for (Label l : labels) {
                    if (l.imageId().equals(image) && l.concept().equals(concept)) {
                        gts.add(l);
                    }
                }
                gts.sort(Comparator.comparing(Label::crowd));
                List<Detection> dts = new ArrayList<>();
                for (Detection d : detections) {
                    if (d.imageId().equals(image) && d.concept().equals(concept)) {
                        dts.add(d);
                    }
                }
                dts.sort(Comparator.comparingDouble(Detection::score).reversed());
                if (dts.size() > MAX_DETECTIONS) {
                    dts = dts.subList(0, MAX_DETECTIONS);
                }
                for (Label g : gts) {
                    npig += g.crowd() ? 0 : 1;
                }
                double[][] rows = new double[dts.size()][11];
                for (int d = 0; d < dts.size(); d++) {
                    rows[d][0] = dts.get(d).score();
                }
                for (int t = 0; t < 10; t++) {
                    boolean[] taken = new boolean[gts.size()];
                    for (int d = 0; d < dts.size(); d++) {
                        double iou = Math.min(iouThresholds[t], 1 - 1e-10);
                        int m = -1;
                        for (int g = 0; g < gts.size(); g++) {
                            if (taken[g] && !gts.get(g).crowd()) {
                                continue;
                            }
                            if (m > -1 && !gts.get(m).crowd() && gts.get(g).crowd()) {
                                break;
                            }
                            double overlap = bbIou(dts.get(d), gts.get(g));
                            if (overlap < iou) {
                                continue;
                            }
                            iou = overlap;
                            m = g;
                        }
                        if (m > -1) {
                            taken[m] = true;
                        }
                        rows[d][t + 1] = m == -1 ? 0 : gts.get(m).crowd() ? -1 : 1;
                    }
                }
                for (double[] row : rows) {
                    scoresAndOutcomes.add(row);
                }
            }
            if (npig == 0) {
                ap5095.put(concept, null);
                ap50.put(concept, null);
                continue;
            }
            // List.sort is a stable merge sort, as np.argsort(kind='mergesort')
            scoresAndOutcomes.sort(
                    Comparator.comparingDouble((double[] row) -> row[0]).reversed());
            double classSum = 0;
            double class50 = 0;
            for (int t = 0; t < 10; t++) {
                int n = scoresAndOutcomes.size();
                double[] rc = new double[n];
                double[] pr = new double[n];
                double tp = 0;
                double fp = 0;
                for (int i = 0; i < n; i++) {
                    double outcome = scoresAndOutcomes.get(i)[t + 1];
                    tp += outcome == 1 ? 1 : 0;
                    fp += outcome == 0 ? 1 : 0;
                    rc[i] = tp / npig;
                    pr[i] = tp / (fp + tp + Math.ulp(1.0));
                }
                for (int i = n - 1; i > 0; i--) {
                    if (pr[i] > pr[i - 1]) {
                        pr[i - 1] = pr[i];
                    }
                }
                for (double point : recallPoints) {
                    int index = 0;
                    while (index < n && rc[index] < point) {
                        index++;
                    }
                    double q = index < n ? pr[index] : 0;
                    classSum += q;
                    if (t == 0) {
                        class50 += q;
                    }
                }
            }
            ap5095.put(concept, classSum / 1010);
            ap50.put(concept, class50 / 101);
            sumAll += classSum;
            sum50 += class50;
            classesWithLabels++;
        }
        return new Result(ap5095, ap50, sumAll / (1010.0 * classesWithLabels), sum50 / (101.0 * classesWithLabels));
    }

    private static double bbIou(Detection d, Label g) {
        double dw = d.right() - d.left();
        double dh = d.bottom() - d.top();
        double gw = g.right() - g.left();
        double gh = g.bottom() - g.top();
        double w = Math.min(dw + d.left(), gw + g.left()) - Math.max(d.left(), g.left());
        if (w <= 0) {
            return 0;
        }
        double h = Math.min(dh + d.top(), gh + g.top()) - Math.max(d.top(), g.top());
        if (h <= 0) {
            return 0;
        }
        double i = w * h;
        return i / (g.crowd() ? dw * dh : dw * dh + gw * gh - i);
    }
}

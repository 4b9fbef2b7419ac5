package dev.inspection.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The ranking of anomalous against normal samples by an exact score, as torchmetrics' {@code _binary_clf_curve}
 * builds it for anomalib's image metrics: one point per distinct score, highest first, with the anomalous
 * (positive) and normal (negative) samples scored exactly that. A sample is predicted anomalous when its score is
 * {@code >= threshold}, as in anomalib.
 *
 * <p>{@link #auroc()} is the area under the ROC curve with ties handled as torchmetrics' {@code binary_auroc} and
 * scikit-learn's {@code roc_auc_score} handle them (trapezoids between distinct thresholds), and {@link #f1Max()} is
 * anomalib's {@code F1Max} and {@code F1AdaptiveThreshold}.
 */
public final class BinaryCurve {

    /** The term anomalib adds to precision + recall in {@code F1AdaptiveThreshold} and {@code F1Max}. */
    static final double F1_EPSILON = 1e-10;

    private final double[] thresholds;
    private final long[] positives;
    private final long[] negatives;
    private final long totalPositives;
    private final long totalNegatives;

    /** The best point of the precision-recall curve by F1, and the threshold (a score) at which it lies. */
    public record F1Point(double f1, double threshold, long truePositives, long falsePositives) {}

    BinaryCurve(double[] thresholdsDescending, long[] positives, long[] negatives) {
        if (thresholdsDescending.length != positives.length || positives.length != negatives.length) {
            throw new IllegalArgumentException("thresholds, positives and negatives differ in length");
        }
        for (int i = 1; i < thresholdsDescending.length; i++) {
            if (!(thresholdsDescending[i] < thresholdsDescending[i - 1])) {
                throw new IllegalArgumentException("thresholds are not distinct and descending at " + i);
            }
        }
        this.thresholds = thresholdsDescending;
        this.positives = positives;
        this.negatives = negatives;
        this.totalPositives = Arrays.stream(positives).sum();
        this.totalNegatives = Arrays.stream(negatives).sum();
    }

    /** The curve of {@code scores}, each sample anomalous where {@code anomalous} says so. */
    public static BinaryCurve of(double[] scores, boolean[] anomalous) {
        if (scores.length != anomalous.length) {
            throw new IllegalArgumentException(
                    scores.length + " scores but " + anomalous.length + " labels: one label per score");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
        }
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double[] distinct = new double[scores.length];
        long[] pos = new long[scores.length];
        long[] neg = new long[scores.length];
        int groups = 0;
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            if (k == 0 || scores[i] != distinct[groups - 1]) {
                distinct[groups++] = scores[i];
            }
            if (anomalous[i]) {
                pos[groups - 1]++;
            } else {
                neg[groups - 1]++;
            }
        }
        return new BinaryCurve(Arrays.copyOf(distinct, groups), Arrays.copyOf(pos, groups), Arrays.copyOf(neg, groups));
    }

    /** Anomalous samples. */
    public long positives() {
        return totalPositives;
    }

    /** Normal samples. */
    public long negatives() {
        return totalNegatives;
    }

    /**
     * The area under the ROC curve: the chance that an anomalous sample scores above a normal one, a tie counting
     * one half, which is what the trapezoids between distinct thresholds of torchmetrics and scikit-learn add up to.
     * NaN when there are no anomalous or no normal samples (scikit-learn raises then; torchmetrics returns 0).
     */
    public double auroc() {
        if (totalPositives == 0 || totalNegatives == 0) {
            return Double.NaN;
        }
        double area = 0;
        long positivesAbove = 0;
        for (int g = 0; g < thresholds.length; g++) {
            area += negatives[g] * (positivesAbove + positives[g] / 2.0);
            positivesAbove += positives[g];
        }
        return area / ((double) totalPositives * totalNegatives);
    }

    /**
     * The highest F1 over the precision-recall curve and its threshold, as anomalib's {@code F1AdaptiveThreshold}:
     * F1 = 2 P R / (P + R + 1e-10) at every distinct score, {@code argmax} over thresholds in ascending order, so of
     * equal F1s the lowest threshold wins. The threshold is that score itself: samples scoring {@code >=} it are
     * anomalous.
     *
     * <p>With no anomalous samples torchmetrics sets recall to 1 and precision is 0 everywhere: every F1 is 0 and
     * anomalib's argmax picks the lowest score, a threshold that flags every sample (its warning says the highest
     * score, its code gives the lowest). This returns the same; calibrate such a set with
     * {@link #thresholdAtFpr(double[], double)} instead. NaN threshold and F1 when there are no samples.
     */
    public F1Point f1Max() {
        F1Point best = new F1Point(Double.NaN, Double.NaN, 0, 0);
        long tp = 0;
        long fp = 0;
        for (int g = 0; g < thresholds.length; g++) {
            tp += positives[g];
            fp += negatives[g];
            double f1 = f1(tp, fp, totalPositives);
            // Walking down from the highest score: >= keeps the lowest threshold of equal F1s, as argmax does over
            // anomalib's ascending thresholds.
            if (Double.isNaN(best.f1()) || f1 >= best.f1()) {
                best = new F1Point(f1, thresholds[g], tp, fp);
            }
        }
        return best;
    }

    /** F1 as anomalib computes it from precision and recall; recall is 1 with no positives, as in torchmetrics. */
    static double f1(long truePositives, long falsePositives, long allPositives) {
        double precision = truePositives / (double) (truePositives + falsePositives);
        double recall = allPositives == 0 ? 1.0 : truePositives / (double) allPositives;
        return 2 * precision * recall / (precision + recall + F1_EPSILON);
    }

    /**
     * A threshold calibrated on normal samples only: at most {@code floor(fpr * n)} of the {@code n} normal scores
     * are {@code >=} it. With v the (k+1)-th highest score (k = floor(fpr * n)) and u the lowest score above v, the
     * threshold is the midpoint (u + v) / 2, so neither neighbour lies on the edge and a new sample scoring like
     * one of them is classified like it; with no score above v (k = 0, or ties at the top) it is the next double
     * above v. When k >= n every sample may be flagged and the threshold is the lowest score.
     *
     * @param fpr the share of normal samples allowed at or above the threshold, in [0, 1]
     */
    public static double thresholdAtFpr(double[] normalScores, double fpr) {
        if (!(fpr >= 0 && fpr <= 1)) {
            throw new IllegalArgumentException("fpr must be in [0, 1], got " + fpr);
        }
        if (normalScores.length == 0) {
            throw new IllegalArgumentException("no normal scores to calibrate a threshold on");
        }
        double[] sorted = normalScores.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        long allowed = allowedAbove(n, fpr);
        if (allowed >= n) {
            return sorted[0];
        }
        double v = sorted[n - 1 - (int) allowed];
        int above = n - 1 - (int) allowed;
        while (above < n && sorted[above] == v) {
            above++;
        }
        return above == n ? Math.nextUp(v) : midpointAbove(v, sorted[above]);
    }

    /**
     * floor(fpr * n): the most normal samples a threshold calibrated at {@code fpr} may flag. 1e-9 is added before
     * the floor so that a product a rounding below an integer (0.29 * 100 = 28.999999999999996) counts as it.
     */
    public static long allowedAbove(long n, double fpr) {
        return (long) Math.floor(fpr * n + 1e-9);
    }

    /** The midpoint of v < u, never v itself (two adjacent doubles have no double between them). */
    public static double midpointAbove(double v, double u) {
        double mid = v / 2 + u / 2;
        return mid > v ? mid : u;
    }
}

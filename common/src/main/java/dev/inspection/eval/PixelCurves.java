package dev.inspection.eval;

/**
 * Pixel-level anomaly metrics from summed {@link PixelCounts}: pixel AUROC, AUPRO, the F1-best pixel threshold and a
 * threshold at a false-positive rate of normal pixels.
 *
 * <p>How binning differs from anomalib: anomalib builds its pixel ROC and PRO curves on every distinct map value of
 * every pixel, which for hundreds of thousands of images is billions of values. Here the thresholds are the
 * {@link PixelCounts#BINS} bin edges b / 1000: values are resolved to 1/1000, two pixels in one bin count as tied
 * (half a pair for AUROC), and the F1 and FPR thresholds are bin edges. AUPRO is the PRO curve (mean over regions
 * of the share of each region at or above a threshold, against the FPR of all normal pixels) at those edges,
 * integrated with trapezoids up to the FPR limit with linear interpolation at the limit and divided by the limit, as
 * anomalib does; anomalib resamples each region's own curve onto a common grid, which on fine data agrees to within
 * 1e-3 (PixelCurvesTest checks both AUROC and AUPRO against exact computations).
 */
public final class PixelCurves {

    private final PixelCounts counts;
    private final long[] normal;
    private final long[] anomalous;
    private final double[] shares;
    private final BinaryCurve curve;

    private PixelCurves(PixelCounts counts) {
        this.counts = counts;
        this.normal = counts.normalHistogram();
        this.anomalous = counts.anomalousHistogram();
        this.shares = counts.regionShareHistogram();
        int filled = 0;
        for (int b = 0; b < PixelCounts.BINS; b++) {
            filled += normal[b] + anomalous[b] > 0 ? 1 : 0;
        }
        double[] edges = new double[filled];
        long[] pos = new long[filled];
        long[] neg = new long[filled];
        int g = 0;
        for (int b = PixelCounts.BINS - 1; b >= 0; b--) {
            if (normal[b] + anomalous[b] > 0) {
                edges[g] = edge(b);
                pos[g] = anomalous[b];
                neg[g++] = normal[b];
            }
        }
        this.curve = new BinaryCurve(edges, pos, neg);
    }

    /** The curves of counts summed over images ({@link PixelCounts#sum}). */
    public static PixelCurves of(PixelCounts summed) {
        return new PixelCurves(summed);
    }

    /** The lower edge of a bin on the normalized scale: b / 1000. */
    public static double edge(int bin) {
        return bin / (double) PixelCounts.BINS;
    }

    /** The counts these curves are of. */
    public PixelCounts counts() {
        return counts;
    }

    /** The pixel AUROC over all pixels of all images (ties within a bin count one half); NaN without both kinds. */
    public double pixelAuroc() {
        return curve.auroc();
    }

    /**
     * The highest pixel F1 and its threshold, a bin edge on the normalized scale: pixels in that bin and above are
     * anomalous. Of equal F1s the lowest edge, as anomalib's argmax.
     */
    public BinaryCurve.F1Point f1Max() {
        return curve.f1Max();
    }

    /**
     * The area under the PRO curve up to {@code fprLimit} (anomalib: 0.3), divided by the limit; NaN without normal
     * pixels or mask regions.
     */
    public double aupro(double fprLimit) {
        if (!(fprLimit > 0 && fprLimit <= 1)) {
            throw new IllegalArgumentException("FPR limit must be in (0, 1], got " + fprLimit);
        }
        long normalPixels = curve.negatives();
        if (normalPixels == 0 || counts.regions() == 0) {
            return Double.NaN;
        }
        double area = 0;
        double fpr = 0;
        double pro = 0;
        long falsePositives = 0;
        double shareSum = 0;
        for (int b = PixelCounts.BINS - 1; b >= 0; b--) {
            falsePositives += normal[b];
            shareSum += shares[b];
            double nextFpr = falsePositives / (double) normalPixels;
            double nextPro = shareSum / counts.regions();
            if (nextFpr >= fprLimit) {
                double proAtLimit = pro + (nextPro - pro) * (fprLimit - fpr) / (nextFpr - fpr);
                area += (fprLimit - fpr) * (pro + proAtLimit) / 2;
                return area / fprLimit;
            }
            area += (nextFpr - fpr) * (pro + nextPro) / 2;
            fpr = nextFpr;
            pro = nextPro;
        }
        throw new IllegalStateException("the FPR reaches 1 at the lowest bin");
    }

    /**
     * The lowest bin edge at or above which at most {@code fpr} of the normal pixels lie (1.0 when even the top bin
     * holds more).
     */
    public double thresholdAtFpr(double fpr) {
        if (!(fpr >= 0 && fpr <= 1)) {
            throw new IllegalArgumentException("fpr must be in [0, 1], got " + fpr);
        }
        long allowed = BinaryCurve.allowedAbove(curve.negatives(), fpr);
        long above = 0;
        for (int b = PixelCounts.BINS - 1; b >= 0; b--) {
            if (above + normal[b] > allowed) {
                return edge(b + 1);
            }
            above += normal[b];
        }
        return 0.0;
    }
}

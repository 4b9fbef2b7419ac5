package dev.inspection.eval;

import dev.inspection.image.ConnectedComponents;
import java.io.Serializable;
import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Pixel counts of one image, or summed over many, for the pixel-level anomaly metrics ({@link PixelCurves}). The
 * normalized anomaly map's values are put in {@link #BINS} equal bins over [0, 1] (v goes to bin {@code
 * min(BINS - 1, floor(v * BINS))}), and for each bin this holds:
 *
 * <ul>
 *   <li>the normal pixels (mask false) in it;
 *   <li>the anomalous pixels (mask true) in it;
 *   <li>for AUPRO, the sum over the mask's 8-connected regions (as anomalib's {@code cv2.connectedComponents}) of the
 *       share of the region's pixels in it, and the number of regions.
 * </ul>
 *
 * <p>Sparse: only non-empty bins are kept, as parallel arrays of bin numbers (ascending) and values, which is what a
 * Spark row carries (at most 3 x 1000 numbers per image, usually far fewer). Summing counts is exact, so the sum of
 * hundreds of thousands of images is the same as the counts of one image made of them all, except that regions stay
 * those of each image.
 */
public final class PixelCounts implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Bins over [0, 1]: the metrics resolve normalized values to 1/1000. */
    public static final int BINS = 1000;

    private final int[] normalBins;
    private final long[] normalPixels;
    private final int[] anomalousBins;
    private final long[] anomalousPixels;
    private final int[] regionBins;
    private final double[] regionShares;
    private final long regions;
    private final long images;

    /**
     * Counts from their sparse parts (as a Spark row holds them): bins ascending, each with its value.
     *
     * @param images the images summed in these counts (1 for one image)
     */
    public PixelCounts(
            int[] normalBins,
            long[] normalPixels,
            int[] anomalousBins,
            long[] anomalousPixels,
            int[] regionBins,
            double[] regionShares,
            long regions,
            long images) {
        check("normal", normalBins, normalPixels.length);
        check("anomalous", anomalousBins, anomalousPixels.length);
        check("region", regionBins, regionShares.length);
        this.normalBins = normalBins;
        this.normalPixels = normalPixels;
        this.anomalousBins = anomalousBins;
        this.anomalousPixels = anomalousPixels;
        this.regionBins = regionBins;
        this.regionShares = regionShares;
        this.regions = regions;
        this.images = images;
    }

    private static void check(String kind, int[] bins, int values) {
        if (bins.length != values) {
            throw new IllegalArgumentException(kind + " bins: " + bins.length + " bins but " + values + " values");
        }
        for (int i = 0; i < bins.length; i++) {
            if (bins[i] < 0 || bins[i] >= BINS || (i > 0 && bins[i] <= bins[i - 1])) {
                throw new IllegalArgumentException(
                        kind + " bins must ascend within [0, " + BINS + "), got " + Arrays.toString(bins));
            }
        }
    }

    /**
     * The counts of one image.
     *
     * @param map the normalized anomaly map, row-major {@code width x height}, values in [0, 1] (outside: clamped)
     * @param mask the ground-truth mask of the same size, true where anomalous; all false for a normal image
     */
    public static PixelCounts of(float[] map, boolean[] mask, int width, int height) {
        if (map.length != width * height || mask.length != map.length) {
            throw new IllegalArgumentException("map of " + map.length + " and mask of " + mask.length
                    + " pixels: both must be " + width + " x " + height);
        }
        ConnectedComponents components = ConnectedComponents.of(mask, width, height);
        long[] sizes = components.sizes();
        long[] normal = new long[BINS];
        long[] anomalous = new long[BINS];
        double[] shares = new double[BINS];
        for (int p = 0; p < map.length; p++) {
            if (Float.isNaN(map[p])) {
                throw new IllegalArgumentException("anomaly map value " + p + " is NaN");
            }
            int bin = bin(map[p]);
            int region = components.label(p);
            if (region == 0) {
                normal[bin]++;
            } else {
                anomalous[bin]++;
                shares[bin] += 1.0 / sizes[region];
            }
        }
        return dense(normal, anomalous, shares, components.count(), 1);
    }

    /** The bin of a normalized value: {@code min(BINS - 1, floor(v * BINS))}, values below 0 in bin 0. */
    public static int bin(double value) {
        return (int) Math.max(0, Math.min(BINS - 1, Math.floor(value * BINS)));
    }

    /** The sum of many images' counts. */
    public static PixelCounts sum(Iterable<PixelCounts> counts) {
        long[] normal = new long[BINS];
        long[] anomalous = new long[BINS];
        double[] shares = new double[BINS];
        long regions = 0;
        long images = 0;
        for (PixelCounts c : counts) {
            for (int i = 0; i < c.normalBins.length; i++) {
                normal[c.normalBins[i]] += c.normalPixels[i];
            }
            for (int i = 0; i < c.anomalousBins.length; i++) {
                anomalous[c.anomalousBins[i]] += c.anomalousPixels[i];
            }
            for (int i = 0; i < c.regionBins.length; i++) {
                shares[c.regionBins[i]] += c.regionShares[i];
            }
            regions += c.regions;
            images += c.images;
        }
        return dense(normal, anomalous, shares, regions, images);
    }

    /** Counts from dense histograms of {@link #BINS} bins each. */
    public static PixelCounts dense(long[] normal, long[] anomalous, double[] shares, long regions, long images) {
        int[] normalBins = nonEmpty(normal.length, i -> normal[i] != 0);
        int[] anomalousBins = nonEmpty(anomalous.length, i -> anomalous[i] != 0);
        int[] regionBins = nonEmpty(shares.length, i -> shares[i] != 0);
        return new PixelCounts(
                normalBins,
                Arrays.stream(normalBins).mapToLong(b -> normal[b]).toArray(),
                anomalousBins,
                Arrays.stream(anomalousBins).mapToLong(b -> anomalous[b]).toArray(),
                regionBins,
                Arrays.stream(regionBins).mapToDouble(b -> shares[b]).toArray(),
                regions,
                images);
    }

    private static int[] nonEmpty(int length, IntPredicate filled) {
        if (length != BINS) {
            throw new IllegalArgumentException("a histogram has " + BINS + " bins, got " + length);
        }
        return IntStream.range(0, length).filter(filled).toArray();
    }

    /** Bins holding normal pixels, ascending. */
    public int[] normalBins() {
        return normalBins.clone();
    }

    /** Normal pixels in each of {@link #normalBins()}. */
    public long[] normalPixels() {
        return normalPixels.clone();
    }

    /** Bins holding anomalous pixels, ascending. */
    public int[] anomalousBins() {
        return anomalousBins.clone();
    }

    /** Anomalous pixels in each of {@link #anomalousBins()}. */
    public long[] anomalousPixels() {
        return anomalousPixels.clone();
    }

    /** Bins holding pixels of a mask region, ascending (those of {@link #anomalousBins()}). */
    public int[] regionBins() {
        return regionBins.clone();
    }

    /** For each of {@link #regionBins()}: the sum over regions of (the region's pixels in the bin / its size). */
    public double[] regionShares() {
        return regionShares.clone();
    }

    /** The mask's connected regions (summed over images). */
    public long regions() {
        return regions;
    }

    /** The images counted. */
    public long images() {
        return images;
    }

    /** The normal pixels of each bin, all {@link #BINS}. */
    public long[] normalHistogram() {
        return densify(normalBins, normalPixels);
    }

    /** The anomalous pixels of each bin, all {@link #BINS}. */
    public long[] anomalousHistogram() {
        return densify(anomalousBins, anomalousPixels);
    }

    /** The region shares of each bin, all {@link #BINS}. */
    public double[] regionShareHistogram() {
        double[] dense = new double[BINS];
        for (int i = 0; i < regionBins.length; i++) {
            dense[regionBins[i]] = regionShares[i];
        }
        return dense;
    }

    private static long[] densify(int[] bins, long[] values) {
        long[] dense = new long[BINS];
        for (int i = 0; i < bins.length; i++) {
            dense[bins[i]] = values[i];
        }
        return dense;
    }
}

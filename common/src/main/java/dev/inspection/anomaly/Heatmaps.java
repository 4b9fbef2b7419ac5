package dev.inspection.anomaly;

import dev.inspection.image.ConnectedComponents;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Pure functions over normalized anomaly maps (row-major floats in [0, 1]). */
public final class Heatmaps {

    /** The side the summaries work at, at most: a 48-megapixel photo is summarized at 2048 on its long side. */
    public static final int MAX_WORKING_SIDE = 2048;

    private static final int HISTOGRAM_BINS = 10_000;

    private Heatmaps() {}

    /**
     * Resizes a map with bilinear interpolation at half-pixel centres (OpenCV's {@code INTER_LINEAR}): the map at the
     * model's input size back onto the original image, undoing the resize that fed the model.
     */
    public static float[] resize(float[] src, int srcWidth, int srcHeight, int width, int height) {
        float[] out = new float[width * height];
        double rx = (double) srcWidth / width;
        double ry = (double) srcHeight / height;
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] fx = new float[width];
        for (int x = 0; x < width; x++) {
            double s = Math.max(0, (x + 0.5) * rx - 0.5);
            x0[x] = Math.min((int) s, srcWidth - 1);
            x1[x] = Math.min(x0[x] + 1, srcWidth - 1);
            fx[x] = (float) (s - (int) s);
        }
        for (int y = 0; y < height; y++) {
            double s = Math.max(0, (y + 0.5) * ry - 0.5);
            int y0 = Math.min((int) s, srcHeight - 1);
            int y1 = Math.min(y0 + 1, srcHeight - 1);
            float fy = (float) (s - (int) s);
            int a = y0 * srcWidth;
            int b = y1 * srcWidth;
            for (int x = 0; x < width; x++) {
                float top = src[a + x0[x]] * (1 - fx[x]) + src[a + x1[x]] * fx[x];
                float bottom = src[b + x0[x]] * (1 - fx[x]) + src[b + x1[x]] * fx[x];
                out[y * width + x] = top * (1 - fy) + bottom * fy;
            }
        }
        return out;
    }

    /** The size a map is summarized at for an image of this size: the image's own, shrunk to the working cap. */
    public static int[] workingSize(int imageWidth, int imageHeight) {
        double scale = Math.min(1.0, (double) MAX_WORKING_SIDE / Math.max(imageWidth, imageHeight));
        return new int[] {
            Math.max(1, (int) Math.round(imageWidth * scale)), Math.max(1, (int) Math.round(imageHeight * scale))
        };
    }

    /**
     * Summarizes a normalized map already at the image's (working) size.
     *
     * @param threshold the normalized pixel threshold (0.5 for anomalib's normalization)
     * @param maxBlobs how many of the largest blobs to keep
     * @param gridSide the grid's width and height
     */
    public static HeatmapSummary summarize(
            float[] map, int width, int height, float threshold, int maxBlobs, int gridSide) {
        int n = map.length;
        double sum = 0;
        double sumSq = 0;
        float max = 0;
        int above = 0;
        int[] histogram = new int[HISTOGRAM_BINS + 1];
        for (float v : map) {
            sum += v;
            sumSq += (double) v * v;
            max = Math.max(max, v);
            if (v >= threshold) {
                above++;
            }
            histogram[(int) (Math.max(0, Math.min(1, v)) * HISTOGRAM_BINS)]++;
        }
        double mean = sum / n;
        double std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        List<Blob> blobs = blobs(map, width, height, threshold);
        int count = blobs.size();
        return new HeatmapSummary(
                max,
                (float) mean,
                (float) std,
                percentile(histogram, n, 0.95),
                percentile(histogram, n, 0.99),
                above / (double) n,
                List.copyOf(blobs.subList(0, Math.min(maxBlobs, count))),
                count,
                gridSide,
                gridSide,
                grid(map, width, height, gridSide));
    }

    /** The nearest-rank percentile, to the histogram's resolution of 1e-4. */
    static float percentile(int[] histogram, int n, double q) {
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int bin = 0; bin < histogram.length; bin++) {
            seen += histogram[bin];
            if (seen >= rank) {
                return bin / (float) HISTOGRAM_BINS;
            }
        }
        return 1f;
    }

    /** Connected regions (8-connected) at or above the threshold, largest first, then by peak. */
    public static List<Blob> blobs(float[] map, int width, int height, float threshold) {
        boolean[] above = new boolean[map.length];
        for (int p = 0; p < map.length; p++) {
            above[p] = map[p] >= threshold;
        }
        ConnectedComponents regions = ConnectedComponents.of(above, width, height);
        int n = regions.count() + 1;
        int[] minX = new int[n], minY = new int[n], maxX = new int[n], maxY = new int[n], area = new int[n];
        float[] peak = new float[n];
        double[] sum = new double[n];
        Arrays.fill(minX, width);
        Arrays.fill(minY, height);
        Arrays.fill(maxX, -1);
        Arrays.fill(maxY, -1);
        for (int p = 0; p < map.length; p++) {
            int l = regions.label(p);
            if (l == 0) {
                continue;
            }
            int x = p % width;
            int y = p / width;
            minX[l] = Math.min(minX[l], x);
            maxX[l] = Math.max(maxX[l], x);
            minY[l] = Math.min(minY[l], y);
            maxY[l] = Math.max(maxY[l], y);
            area[l]++;
            peak[l] = Math.max(peak[l], map[p]);
            sum[l] += map[p];
        }
        List<Blob> blobs = new ArrayList<>();
        for (int l = 1; l < n; l++) {
            blobs.add(new Blob(
                    minY[l] / (double) height,
                    minX[l] / (double) width,
                    (maxY[l] + 1) / (double) height,
                    (maxX[l] + 1) / (double) width,
                    peak[l],
                    (float) (sum[l] / area[l]),
                    area[l] / (double) map.length));
        }
        blobs.sort(Comparator.comparingDouble(Blob::areaFraction)
                .reversed()
                .thenComparing(Comparator.comparingDouble(Blob::peak).reversed()));
        return blobs;
    }

    /** The map averaged into {@code side x side} cells, row-major. */
    public static float[] grid(float[] map, int width, int height, int side) {
        double[] sums = new double[side * side];
        int[] counts = new int[side * side];
        int[] column = new int[width];
        for (int x = 0; x < width; x++) {
            column[x] = (int) ((long) x * side / width);
        }
        for (int y = 0, p = 0; y < height; y++) {
            int row = (int) ((long) y * side / height) * side;
            for (int x = 0; x < width; x++, p++) {
                sums[row + column[x]] += map[p];
                counts[row + column[x]]++;
            }
        }
        float[] grid = new float[side * side];
        for (int i = 0; i < grid.length; i++) {
            // A map smaller than the grid leaves cells empty: they take the value of the pixel they fall on.
            grid[i] = counts[i] > 0
                    ? (float) (sums[i] / counts[i])
                    : map[(int) ((long) (i / side) * height / side) * width + (int) ((long) (i % side) * width / side)];
        }
        return grid;
    }
}

package dev.inspection.eval;

/**
 * The fixed grids of the detection metrics, computed as numpy's {@code linspace} computes them (so that comparisons
 * with them are bit-exact): COCO's IoU thresholds .50:.05:.95, its 101 recall points (also the points Ultralytics'
 * {@code compute_ap} interpolates at), and Ultralytics' 1000 confidences of its F1 curve.
 */
public final class MetricGrids {

    /** {@code np.linspace(.5, 0.95, 10)}: COCOeval's {@code iouThrs}. */
    public static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);

    /** {@code np.linspace(.0, 1.00, 101)}: COCOeval's {@code recThrs} and compute_ap's {@code x}. */
    public static final double[] RECALL_POINTS = linspace(0.0, 1.0, 101);

    /** {@code np.linspace(0, 1, 1000)}: the confidences of ap_per_class's precision, recall and F1 curves. */
    public static final double[] CONFIDENCES = linspace(0.0, 1.0, 1000);

    private MetricGrids() {}

    /** numpy's linspace with endpoint: {@code start + i * ((stop - start) / (n - 1))}, the last value exactly stop. */
    static double[] linspace(double start, double stop, int n) {
        double step = (stop - start) / (n - 1);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i * step + start;
        }
        values[n - 1] = stop;
        return values;
    }

    /** The index of the last grid value at most {@code value}, -1 if none: numpy's {@code searchsorted(right) - 1}. */
    public static int lastAtMost(double[] grid, double value) {
        int low = 0;
        int high = grid.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (grid[mid] <= value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low - 1;
    }

    /** The index of the first grid value at least {@code value}, grid.length if none: {@code searchsorted(left)}. */
    public static int firstAtLeast(double[] grid, double value) {
        int low = 0;
        int high = grid.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (grid[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}

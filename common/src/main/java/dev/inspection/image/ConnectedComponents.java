package dev.inspection.image;

/**
 * Labels of the 8-connected regions of a binary image, as OpenCV's {@code cv2.connectedComponents} (connectivity 8,
 * its default) labels them: what anomalib uses for the regions of a ground-truth mask in AUPRO, and what the heatmap
 * blobs are. Labels are 1..count in the order of each region's first pixel in row-major order; 0 is background.
 *
 * <p>Written here rather than taken from a library: the only labelling in the project's dependencies is OpenCV's,
 * whose natives the project does not ship, and a flood fill with one int stack is a dozen lines.
 */
public final class ConnectedComponents {

    private final int[] labels;
    private final int count;

    private ConnectedComponents(int[] labels, int count) {
        this.labels = labels;
        this.count = count;
    }

    /** The regions of {@code foreground} (row-major, {@code width x height}). */
    public static ConnectedComponents of(boolean[] foreground, int width, int height) {
        if (foreground.length != width * height) {
            throw new IllegalArgumentException(
                    "image of " + foreground.length + " pixels is not " + width + " x " + height);
        }
        int[] label = new int[foreground.length];
        int[] stack = new int[foreground.length];
        int next = 0;
        for (int start = 0; start < foreground.length; start++) {
            if (!foreground[start] || label[start] != 0) {
                continue;
            }
            next++;
            int top = 0;
            stack[top++] = start;
            label[start] = next;
            while (top > 0) {
                int p = stack[--top];
                int x = p % width;
                int y = p / width;
                for (int ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
                    for (int nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
                        int q = ny * width + nx;
                        if (foreground[q] && label[q] == 0) {
                            label[q] = next;
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
        return new ConnectedComponents(label, next);
    }

    /** The number of regions. */
    public int count() {
        return count;
    }

    /** The label of pixel {@code index} (row-major): 0 for background, else 1..{@link #count()}. */
    public int label(int index) {
        return labels[index];
    }

    /** The number of pixels of each region, indexed by label (index 0: background pixels). */
    public long[] sizes() {
        long[] sizes = new long[count + 1];
        for (int l : labels) {
            sizes[l]++;
        }
        return sizes;
    }
}

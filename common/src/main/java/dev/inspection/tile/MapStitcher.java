package dev.inspection.tile;

/**
 * Puts the anomaly maps of an image's tiles back together into one map of the image, overlaps averaged uniformly, as
 * anomalib's tiler does when it untiles. The stitched map has the tiles' map resolution: {@code scale} map pixels per
 * image pixel (a 256 map of a 640 tile is 0.4), so a 20 MP photo's map stays a few megabytes.
 */
public final class MapStitcher {

    private final int width;
    private final int height;
    private final double scale;
    private final float[] sum;
    private final int[] count;

    public MapStitcher(int imageWidth, int imageHeight, double scale) {
        this.width = side(imageWidth, scale);
        this.height = side(imageHeight, scale);
        this.scale = scale;
        this.sum = new float[width * height];
        this.count = new int[width * height];
    }

    /** Map pixels for an image side: whole where the product is whole but for floating point (1280 x 2/640 is 4). */
    private static int side(int imageSide, double scale) {
        return Math.max(1, (int) Math.ceil(imageSide * scale - 1e-9));
    }

    /** Adds a tile's map, {@code mapWidth x mapHeight} row-major, placed where the tile lies in the image. */
    public void add(Tile tile, float[] map, int mapWidth, int mapHeight) {
        int left = (int) Math.round(tile.x0() * scale);
        int top = (int) Math.round(tile.y0() * scale);
        for (int y = 0; y < mapHeight; y++) {
            int row = top + y;
            if (row >= height) {
                break;
            }
            for (int x = 0; x < mapWidth; x++) {
                int col = left + x;
                if (col >= width) {
                    break;
                }
                sum[row * width + col] += map[y * mapWidth + x];
                count[row * width + col]++;
            }
        }
    }

    /** The stitched map, row-major, {@link #width()} x {@link #height()}; a pixel no tile covered is 0. */
    public float[] stitched() {
        float[] map = new float[sum.length];
        for (int i = 0; i < map.length; i++) {
            map[i] = count[i] == 0 ? 0 : sum[i] / count[i];
        }
        return map;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}

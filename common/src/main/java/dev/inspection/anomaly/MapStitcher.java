package dev.inspection.anomaly;

import dev.inspection.tile.Tile;

/**
 * Puts the anomaly maps of an image's tiles back together into one map of the image, overlaps averaged uniformly, as
 * anomalib's tiler does when it untiles. The stitched map has a size chosen for the image (its working size, so a
 * 20 MP photo's map stays a few megabytes); each tile's map is resized onto the part of it that the tile covers.
 */
public final class MapStitcher {

    private final int width;
    private final int height;
    private final double scaleX;
    private final double scaleY;
    private final float[] sum;
    private final int[] count;

    /** A stitched map of {@code width x height} for an image of {@code imageWidth x imageHeight}. */
    public MapStitcher(int imageWidth, int imageHeight, int width, int height) {
        this.width = width;
        this.height = height;
        this.scaleX = (double) width / imageWidth;
        this.scaleY = (double) height / imageHeight;
        this.sum = new float[width * height];
        this.count = new int[width * height];
    }

    /** Adds a tile's map, {@code mapWidth x mapHeight} row-major, over the part of the image the tile covers. */
    public void add(Tile tile, float[] map, int mapWidth, int mapHeight) {
        int left = (int) Math.round(tile.x0() * scaleX);
        int top = (int) Math.round(tile.y0() * scaleY);
        int w = Math.max(1, Math.min(width, (int) Math.round(tile.x1() * scaleX)) - left);
        int h = Math.max(1, Math.min(height, (int) Math.round(tile.y1() * scaleY)) - top);
        float[] fitted = w == mapWidth && h == mapHeight ? map : Heatmaps.resize(map, mapWidth, mapHeight, w, h);
        for (int y = 0; y < h && top + y < height; y++) {
            for (int x = 0; x < w && left + x < width; x++) {
                int i = (top + y) * width + left + x;
                sum[i] += fitted[y * w + x];
                count[i]++;
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

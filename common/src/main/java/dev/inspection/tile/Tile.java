package dev.inspection.tile;

import dev.inspection.detect.Detection;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One tile of an image, in the image's pixels: columns {@code [x0, x1)}, rows {@code [y0, y1)}.
 *
 * <p>{@link #grid} cuts an image as SAHI's {@code get_slice_bboxes} does (sahi/slicing.py): tiles of the given size
 * from the top left, each the previous one's end less the overlap ({@code int(overlap * size)} pixels), and the last
 * tile of a row or column shifted inward to end at the image's edge rather than padded.
 */
public record Tile(int x0, int y0, int x1, int y1) implements Serializable {

    /** A detection in this tile's pixels, in the image's. */
    public Detection toImage(Detection d) {
        return new Detection(d.classId(), d.score(), d.xMin() + x0, d.yMin() + y0, d.xMax() + x0, d.yMax() + y0);
    }

    public int width() {
        return x1 - x0;
    }

    public int height() {
        return y1 - y0;
    }

    /**
     * The tiles that cover an image, row by row. An image no larger than a tile in either side is one tile in that
     * side; {@code overlap} is the share of a tile that neighbours share, in [0, 1).
     */
    public static List<Tile> grid(int imageWidth, int imageHeight, int tileSize, double overlap) {
        if (tileSize <= 0 || !(overlap >= 0 && overlap < 1)) {
            throw new IllegalArgumentException(
                    "a tile needs a positive size and an overlap in [0, 1), got " + tileSize + " and " + overlap);
        }
        int step = (int) (overlap * tileSize);
        List<Tile> tiles = new ArrayList<>();
        int yMin = 0;
        int yMax = 0;
        while (yMax < imageHeight) {
            int xMin = 0;
            int xMax = 0;
            yMax = yMin + tileSize;
            while (xMax < imageWidth) {
                xMax = xMin + tileSize;
                if (yMax > imageHeight || xMax > imageWidth) {
                    int x1 = Math.min(imageWidth, xMax);
                    int y1 = Math.min(imageHeight, yMax);
                    tiles.add(new Tile(Math.max(0, x1 - tileSize), Math.max(0, y1 - tileSize), x1, y1));
                } else {
                    tiles.add(new Tile(xMin, yMin, xMax, yMax));
                }
                xMin = xMax - step;
            }
            yMin = yMax - step;
        }
        return tiles;
    }
}

package dev.inspection.tile;

import java.io.Serializable;
import java.util.List;

/**
 * How photos are cut for sliced inference (SAHI's): tiles of {@code size} pixels overlapping by {@code overlap},
 * a whole-photo pass added to the tiles' detections unless {@code fullFrame} is off, and the detections merged once per
 * photo by {@code merge} on intersection over the smaller box at {@link #MATCH_THRESHOLD}, class-aware.
 *
 * @param size tile side in pixels; 0 turns tiling off
 * @param tilesPerTask a photo of more tiles is inspected by several tasks, this many tiles each, and merged once
 */
public record Tiling(int size, double overlap, boolean fullFrame, TileMerge.Strategy merge, int tilesPerTask)
        implements Serializable {

    /** SAHI's postprocess_match_threshold. */
    public static final double MATCH_THRESHOLD = 0.5;

    public static final Tiling OFF = new Tiling(0, 0.2, true, TileMerge.Strategy.NMM, 64);

    public boolean enabled() {
        return size > 0;
    }

    /**
     * As the runs table records it: {@code off}, or {@code tile-size=640,overlap=0.2,full-frame,nmm}
     * ({@code no-full-frame} without the whole-photo pass).
     */
    @Override
    public String toString() {
        return enabled()
                ? "tile-size=" + size + ",overlap=" + overlap + "," + (fullFrame ? "full-frame" : "no-full-frame") + ","
                        + merge
                : "off";
    }

    /** The photo's tiles; none where tiling is off or the photo is no larger than a tile. */
    public List<Tile> tiles(int width, int height) {
        if (!enabled() || (width <= size && height <= size)) {
            return List.of();
        }
        return Tile.grid(width, height, size, overlap);
    }
}

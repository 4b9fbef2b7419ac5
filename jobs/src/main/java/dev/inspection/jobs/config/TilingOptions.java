package dev.inspection.jobs.config;

import dev.inspection.tile.TileMerge;
import java.io.Serializable;
import picocli.CommandLine.Option;

/** Cutting big photos into tiles for detectors, and merging what the tiles found. A group of {@link InspectArgs}'s options (a picocli mixin): each option declared once, here. */
final class TilingOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--tile-size",
            paramLabel = "N",
            converter = Converters.WholeNumber.class,
            description =
                    "detectors: cut each photo larger than N x N pixels into N x N tiles, each seen at the model's"
                            + " input size, and merge what the tiles found once per photo; 0: whole photos (default:"
                            + " the detectors' packages' tile_size, else 0)")
    Integer tileSize;

    @Option(
            names = "--tile-overlap",
            paramLabel = "R",
            converter = Converters.Overlap.class,
            description = "tiled: the share of a tile that its neighbours overlap, in [0, 1) (default: the detectors'"
                    + " packages' tile_overlap, else 0.2)")
    Double tileOverlap;

    @Option(
            names = "--no-full-frame",
            description = "tiled: no whole-photo pass beside the tiles (by default its detections are merged with"
                    + " the tiles', so objects larger than a tile are found whole)")
    boolean noFullFrame;

    @Option(
            names = "--tile-merge",
            paramLabel = "nmm|nms",
            defaultValue = "nmm",
            converter = Converters.MergeStrategy.class,
            description = "tiled: greedy non-maximum merging (nmm) or suppression (nms) of the tiles' detections, on"
                    + " intersection over the smaller box at 0.5, class-aware (default ${DEFAULT-VALUE})")
    TileMerge.Strategy tileMerge;

    @Option(
            names = "--tiles-per-task",
            paramLabel = "N",
            defaultValue = "64",
            converter = Converters.PositiveInt.class,
            description = "tiled: a photo of more tiles is inspected by several tasks, N tiles each (default"
                    + " ${DEFAULT-VALUE})")
    int tilesPerTask;
}

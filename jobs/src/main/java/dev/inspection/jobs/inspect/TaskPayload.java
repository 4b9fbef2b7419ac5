package dev.inspection.jobs.inspect;

import dev.inspection.jobs.config.Resources;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.tile.Tiling;
import dev.inspection.track.Tracking;
import dev.inspection.video.Sampling;
import java.io.Serializable;

/**
 * What every inference task needs, broadcast once.
 *
 * @param overlayFolder where this run writes its heatmap overlays: {@code heatmaps/run_date=DATE/RUN_ID}, so that
 *     the overlays of the date's committed run are told apart from any other run's
 * @param tracking whether the detections in each video segment are tracked, and how
 * @param pixelLabels the evaluation's masks, that each labeled image's anomaly maps are counted against; null in an
 *     inspection
 */
public record TaskPayload(
        ModelSet models,
        HadoopConf hadoopConf,
        Resources resources,
        Sampling sampling,
        Tiling tiling,
        String overlayFolder,
        Tracking tracking,
        PixelLabels pixelLabels)
        implements Serializable {}

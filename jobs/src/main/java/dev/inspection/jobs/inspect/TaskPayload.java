package dev.inspection.jobs.inspect;

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
 * @param fastDecode whether an untiled JPEG much larger than the models see it is decoded at 1/2, 1/4 or 1/8 in the
 *     DCT domain (otherwise every still photo is decoded at full resolution, as the exporters' pipelines do)
 * @param tracking whether the detections in each video segment are tracked, and how
 * @param pixelLabels the evaluation's masks, that each labeled image's anomaly maps are counted against; null in an
 *     inspection
 */
public record TaskPayload(
        ModelSet models,
        HadoopConf hadoopConf,
        int batchSize,
        long maxImagePixels,
        int intraOpThreads,
        Sampling sampling,
        int decodeThreads,
        Tiling tiling,
        boolean fastDecode,
        int readAheadFiles,
        long readAheadBytes,
        String overlayFolder,
        Tracking tracking,
        PixelLabels pixelLabels)
        implements Serializable {}

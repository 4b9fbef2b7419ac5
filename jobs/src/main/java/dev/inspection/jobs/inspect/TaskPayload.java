package dev.inspection.jobs.inspect;

import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.tile.Tiling;
import dev.inspection.video.Sampling;
import java.io.Serializable;

/**
 * What every inference task needs, broadcast once.
 *
 * @param overlayFolder where this run writes its heatmap overlays: {@code heatmaps/run_date=DATE/RUN_ID}, so that
 *     the overlays of the date's committed run are told apart from any other run's
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
        String overlayFolder)
        implements Serializable {}

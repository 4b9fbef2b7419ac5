package dev.inspection.anomaly;

import java.util.List;

/**
 * What is kept of a heatmap: statistics of the normalized map over the original image, the share at or above the
 * pixel threshold, the largest blobs, and a small grid (row-major, values in [0, 1]) to draw the heatmap from.
 *
 * @param blobCount every blob found, whether or not it is among the {@code blobs} kept
 */
public record HeatmapSummary(
        float max,
        float mean,
        float std,
        float p95,
        float p99,
        double anomalousAreaFraction,
        List<Blob> blobs,
        int blobCount,
        int gridWidth,
        int gridHeight,
        float[] grid) {}

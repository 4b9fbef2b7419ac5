package dev.inspection.anomaly;

/**
 * One connected region of the thresholded heatmap: its box normalized to [0, 1] of the image, its peak and mean
 * anomaly, and its share of the image.
 */
public record Blob(
        double topRow,
        double leftCol,
        double bottomRow,
        double rightCol,
        float peak,
        float mean,
        double areaFraction) {}

package dev.inspection.anomaly;

/**
 * One image scored by one anomaly model.
 *
 * @param score normalized to [0, 1], anomalous at {@link AnomalySpec#THRESHOLD} and above
 * @param rawScore the model's own score before normalization, or null where the model gives only normalized values
 * @param map the normalized heatmap over the image, at {@code mapWidth x mapHeight} (the image's size, or its
 *     working size for very large images)
 */
public record AnomalyResult(
        float score, Float rawScore, HeatmapSummary heatmap, float[] map, int mapWidth, int mapHeight) {

    public boolean anomalous() {
        return score >= AnomalySpec.THRESHOLD;
    }
}

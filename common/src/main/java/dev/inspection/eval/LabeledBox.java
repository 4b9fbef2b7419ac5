package dev.inspection.eval;

/**
 * A ground-truth box of one image: its concept, its corners (normalized or in pixels, as long as detections use the
 * same), and whether it is a crowd region (COCO's {@code iscrowd}: ignored, and matchable by any number of detections).
 */
public record LabeledBox(String concept, double top, double left, double bottom, double right, boolean crowd) {}

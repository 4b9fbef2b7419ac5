package dev.inspection.jobs.config;

import java.io.Serializable;
import picocli.CommandLine.Option;

/** What a detector keeps: its score and IoU thresholds, how many detections, class-aware or not. A group of {@link InspectArgs}'s options (a picocli mixin): each option declared once, here. */
final class DetectorOptions implements Serializable, Cloneable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--score-threshold",
            paramLabel = "X",
            converter = Converters.Share.class,
            description = "minimum detection score in [0, 1] (default: the model's, else 0.25)")
    Double scoreThreshold;

    @Option(
            names = "--iou-threshold",
            paramLabel = "X",
            converter = Converters.PositiveShare.class,
            description = "NMS IoU threshold in (0, 1] (default: the model's, else 0.7)")
    Double iouThreshold;

    @Option(
            names = "--max-detections",
            paramLabel = "N",
            converter = Converters.PositiveInt.class,
            description = "detections kept per image and model (default: the model's, else 300)")
    Integer maxDetections;

    @Option(names = "--class-agnostic-nms", description = "let boxes of different classes suppress each other")
    boolean classAgnosticNms;

    /** A copy with this score threshold. */
    DetectorOptions withScoreThreshold(double threshold) {
        try {
            DetectorOptions copy = (DetectorOptions) clone();
            copy.scoreThreshold = threshold;
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}

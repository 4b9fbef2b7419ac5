package dev.inspection.detect;

import java.io.Serializable;

/**
 * Detection settings from the command line. A null field leaves the choice to the model's descriptor, then to the
 * exporters' defaults (score 0.25, IoU 0.7, 300 detections).
 */
public record DetectionOptions(Double scoreThreshold, Double iouThreshold, Integer maxDetections, boolean classAgnostic)
        implements Serializable {

    public static final DetectionOptions DEFAULTS = new DetectionOptions(null, null, null, false);
}

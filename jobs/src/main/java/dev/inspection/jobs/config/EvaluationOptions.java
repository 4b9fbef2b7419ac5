package dev.inspection.jobs.config;

import java.io.Serializable;
import picocli.CommandLine.Option;

/** The evaluation's own: the labels, and calibration of anomaly models. A group of {@link InspectArgs}'s options (a picocli mixin): each option declared once, here. */
final class EvaluationOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--labels",
            paramLabel = "URI",
            description = "evaluation only (scripts/evaluate.sh): the labels of the inputs, an Ultralytics dataset"
                    + " folder (images/, labels/), a folder of YOLO .txt labels, COCO instances JSON, a box CSV, an"
                    + " MVTec AD category folder or a CSV of uri,label[,mask_uri]")
    String labels;

    @Option(
            names = "--calibrate",
            description = "evaluation only: choose each anomaly model's image and pixel thresholds on the labeled"
                    + " images (F1-best, as anomalib) and write a calibrated model package under calibrated/")
    boolean calibrate;

    @Option(
            names = "--calibrate-fpr",
            paramLabel = "X",
            converter = Converters.Share.class,
            description = "evaluation only: calibrate instead at this false-positive rate of the normal images (the"
                    + " threshold that this share of them exceed), with normal images alone if need be")
    Double calibrateFpr;
}

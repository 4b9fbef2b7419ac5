package dev.inspection.jobs.config;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The settings of {@code scripts/export.sh}: a run date's detections, from its committed tables, for a review tool. */
@Command(name = "export", sortOptions = false, usageHelpWidth = 120)
public final class ExportArgs extends DateJobArgs {

    /** The formats the review and labeling tools read. */
    public enum Format {
        /** COCO instances JSON with scores: pycocotools, FiftyOne, CVAT. */
        COCO,
        /** Label Studio tasks with predictions. */
        LABELSTUDIO,
        /** A YOLO txt file per image, with scores, and the class list: Ultralytics, CVAT, Roboflow. */
        YOLO,
        /** MOTChallenge lines per tracked video. */
        MOT
    }

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            required = true,
            converter = Converters.ExportFormat.class,
            description = "coco, labelstudio, yolo or mot")
    private Format format;

    @Option(
            names = "--to",
            paramLabel = "URI",
            required = true,
            description = "the folder the files are written into (any Hadoop filesystem); files of the same names there"
                    + " are replaced")
    private String to;

    private ExportArgs() {}

    public static final String USAGE = usage(new ExportArgs());

    public static ExportArgs parse(String... args) throws UsageException {
        return parsed(new ExportArgs(), args);
    }

    @Override
    public String writes() {
        return to;
    }

    public Format format() {
        return format;
    }

    public String to() {
        return to;
    }
}

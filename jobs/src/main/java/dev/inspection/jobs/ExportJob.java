package dev.inspection.jobs;

import dev.inspection.jobs.config.ExportArgs;
import dev.inspection.jobs.export.Export;
import java.util.Locale;

/**
 * {@code scripts/export.sh}: a run date's detections, from its committed tables, for a review or labeling tool: COCO,
 * Label Studio, YOLO or MOTChallenge files in a folder of any Hadoop filesystem. Exit codes as {@link DateJob}'s: 2
 * also for a date with no run recorded, whose last run failed or that has no regions, and for an output that is not an
 * inspection's.
 */
public final class ExportJob {

    private ExportJob() {}

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Parses, writes the export and says where it is; returns the process exit code. */
    public static int run(String[] argv) {
        return DateJob.run(argv, "export", ExportArgs.USAGE, ExportArgs::parse, settings -> (spark, files) -> {
            ExportArgs args = (ExportArgs) settings;
            Export.Written written =
                    Export.write(spark, args.output(), args.runDate(), args.format(), args.to(), files);
            return String.format(
                    "Export of %s as %s: %d pictures in %d files under %s",
                    args.runDate(),
                    args.format().name().toLowerCase(Locale.ROOT),
                    written.pictures(),
                    written.files(),
                    args.to());
        });
    }
}

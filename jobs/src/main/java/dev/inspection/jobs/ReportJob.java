package dev.inspection.jobs;

import dev.inspection.jobs.config.ReportArgs;
import dev.inspection.jobs.report.Report;

/**
 * {@code scripts/report.sh}: the report of a run date, made again from its committed tables alone (a run with
 * {@code --report} makes the same report as it ends). It replaces the date's report. Exit codes as {@link DateJob}'s:
 * 2 also for a date with no run recorded and for an output that is not an inspection's.
 */
public final class ReportJob {

    private ReportJob() {}

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Parses, makes the report and says where it is; returns the process exit code. */
    public static int run(String[] argv) {
        return DateJob.run(argv, "report", ReportArgs.USAGE, ReportArgs::parse, settings -> (spark, files) -> {
            ReportArgs args = (ReportArgs) settings;
            return "Report of " + args.runDate() + ": "
                    + Report.make(spark, args.output(), args.runDate(), args.report(), files);
        });
    }
}

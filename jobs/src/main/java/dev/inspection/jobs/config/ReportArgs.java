package dev.inspection.jobs.config;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The settings of {@code scripts/report.sh}: the report of a run date, made again from its committed tables. */
@Command(name = "report", sortOptions = false, usageHelpWidth = 120)
public final class ReportArgs extends DateJobArgs {

    @Mixin
    private ReportOptions reportOptions = new ReportOptions();

    private ReportArgs() {}

    public static final String USAGE = usage(new ReportArgs());

    public static ReportArgs parse(String... args) throws UsageException {
        return parsed(new ReportArgs(), args);
    }

    /** The report is written under the output it reads. */
    @Override
    public String writes() {
        return output();
    }

    /** What the report shows. */
    public ReportSettings report() {
        return new ReportSettings(true, false, reportOptions.groupBy, reportOptions.examples);
    }
}

package dev.inspection.jobs.config;

import java.io.Serializable;
import picocli.CommandLine.Option;

/**
 * What the report of a run date shows: a group of the options of {@link InspectArgs} and of {@link ReportArgs} (a
 * picocli mixin): each option declared once, here.
 */
final class ReportOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--report-group-by",
            paramLabel = "KEY",
            defaultValue = "none",
            converter = Converters.Grouping.class,
            description =
                    "the report's table of regions per concept for each group of inputs: folder:N (the folder N"
                            + " levels up from the file, folder:1 the one it is in) or a manifest column (default ${DEFAULT-VALUE})")
    ReportSettings.Grouping groupBy;

    @Option(
            names = "--report-examples",
            paramLabel = "N",
            defaultValue = "12",
            converter = Converters.PositiveInt.class,
            description = "pictures per concept and model in the report (default ${DEFAULT-VALUE})")
    int examples;
}

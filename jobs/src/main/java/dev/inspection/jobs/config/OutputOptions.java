package dev.inspection.jobs.config;

import java.io.Serializable;
import java.time.LocalDate;
import picocli.CommandLine.Option;

/** Where the tables go, for which date, and whether the ledger skips what was inspected. A group of {@link InspectArgs}'s options (a picocli mixin): each option declared once, here. */
final class OutputOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    @Option(
            names = "--output",
            paramLabel = "URI",
            description = "table root: regions/, image_scores/,"
                    + " heatmap_summaries/, heatmaps/, tracks/, errors/, runs/, processed_inputs/")
    String output;

    @Option(
            names = "--run-date",
            paramLabel = "YYYY-MM-DD",
            defaultValue = "today",
            converter = Converters.Day.class,
            description =
                    "partition to write, replacing what an earlier run wrote there (default ${DEFAULT-VALUE}, UTC)")
    LocalDate runDate;

    @Option(
            names = "--incremental",
            description = "only inputs that no earlier successful run inspected with the same"
                    + " models (same path, size and modification time), by the ledger in processed_inputs/")
    boolean incremental;

    @Option(
            names = "--report",
            description = "once the tables are committed, write the date's report for a person to read:"
                    + " reports/run_date=DATE/index.html (scripts/report.sh makes it again from the tables)")
    boolean report;

    @Option(
            names = "--annotate",
            description = "write every image and sampled frame with regions, the regions drawn on it, as JPEG under"
                    + " annotated/run_date=DATE/RUN_ID/ (as much again as the inputs' size)")
    boolean annotate;
}

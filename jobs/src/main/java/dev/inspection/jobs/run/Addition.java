package dev.inspection.jobs.run;

import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.inspect.ModelSet;
import dev.inspection.jobs.inspect.PixelLabels;
import java.io.IOException;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a job built on the inspection adds to its runs: the evaluation's labels, metrics, plots and calibrated models.
 * The inspection calls it at its stages; a run that fails in it is recorded FAILED like any other.
 */
public interface Addition {
    /**
     * Before anything runs, with the run's models: reads and checks what the addition needs (the labels), and returns
     * what the run inspects (where no input was given, the images the labels name). A failure here, like a model that
     * cannot work, stops the run before it is recorded.
     */
    InspectArgs.Sources prepare(ModelSet models) throws IOException, UsageException;

    /** What the inference tasks also count: each labeled image's pixels against its mask; null for nothing. */
    PixelLabels pixelLabels();

    /**
     * Rows for the errors table beyond the inspection's (the evaluation's bad labels), with its columns, from the
     * run's cached inspections; and how many.
     */
    Errors errors(Dataset<Row> inspections, String runId);

    /** Rows of the errors table and their count. */
    record Errors(Dataset<Row> rows, long count) {}

    /**
     * Writes the addition's own tables and files from the run's cached inspections, once the run's tables are
     * committed; returns what the runs table records of it. {@code succeeded} is false where the run is recorded
     * FAILED for its share of failed inputs: what would be used by other runs (a calibrated model) is not
     * published then. Files beside the tables are staged and committed through {@code files}, which removes what was
     * not committed when the run ends. {@code step} says in the log what each step computes.
     */
    String write(
            Dataset<Row> inspections,
            ModelSet models,
            String runId,
            RunFiles files,
            boolean succeeded,
            Consumer<String> step)
            throws IOException;
}

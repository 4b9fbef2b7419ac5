package dev.inspection.jobs.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The result tables of a run, derived from its inspection rows: a region per detection, a verdict per image and
 * anomaly model (image_scores and heatmap_summaries are two views of it), a track per object tracked in a video, an
 * error per failed input. Each has the
 * columns of its {@link Tables} entry once {@link TableWriter} selects them.
 */
public record ResultTables(Dataset<Row> regions, Dataset<Row> anomalies, Dataset<Row> tracks, Dataset<Row> errors) {

    public static ResultTables of(Dataset<Row> inspections, String runId, LocalDate runDate) {
        Dataset<Row> inspected = inspections.where(col("error_stage").isNull());
        Column date = lit(Date.valueOf(runDate)).as(Tables.RUN_DATE);
        Dataset<Row> errors = inspections
                .where(col("error_stage").isNotNull())
                .select(source(
                        runId,
                        col("error_stage").as("stage"),
                        col("error_class"),
                        col("error_message").as("message"),
                        date));
        return new ResultTables(
                flatten(inspected, "regions", runId, date),
                flatten(inspected, "anomalies", runId, date),
                tracks(inspected, runId, date),
                errors);
    }

    /** One row per element of an inspection's array column, with the image's columns before and the run date after. */
    private static Dataset<Row> flatten(Dataset<Row> inspected, String arrayColumn, String runId, Column date) {
        return inspected
                .select(source(
                        runId,
                        col("image_width"),
                        col("image_height"),
                        explode(col(arrayColumn)).as("element"),
                        date))
                .select(col("*"), col("element.*"))
                .drop("element");
    }

    /**
     * One row per track: the video's source columns, its frames' size, the track. A track spans frames, so its
     * {@code frame_number} and {@code frame_time_ms} are null (its first and last frames are columns of its own).
     */
    private static Dataset<Row> tracks(Dataset<Row> inspected, String runId, Column date) {
        return flatten(inspected, "tracks", runId, date)
                .withColumn("frame_number", lit(null).cast("bigint"))
                .withColumn("frame_time_ms", lit(null).cast("bigint"));
    }

    /** The run and the image or frame's source, then {@code more}. */
    private static Column[] source(String runId, Column... more) {
        List<Column> columns = new ArrayList<>(List.of(
                lit(runId).as("run_id"),
                col("source_uri"),
                col("video_id"),
                col("frame_number"),
                col("frame_time_ms"),
                col("metadata")));
        columns.addAll(List.of(more));
        return columns.toArray(Column[]::new);
    }
}

package dev.inspection.jobs.list;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.inspection.jobs.output.Tables;
import dev.inspection.jobs.work.Input;
import dev.inspection.tile.Tiling;
import dev.inspection.track.Tracking;
import dev.inspection.video.Sampling;
import java.io.IOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The processed-inputs ledger, {@code processed_inputs/} under the output root: each file that a successful run
 * inspected without an error, as listed (path, size, modification time), with the models it went through. An
 * {@code --incremental} run skips the files it holds.
 */
public final class Ledger {

    private Ledger() {}

    /**
     * The models of a run as the ledger keys them: each model's kind and SHA-256, sorted, the video sampling (other
     * frames come out of a video sampled another way), the tiling and the tracking, where on. A new model version means
     * every input is inspected again.
     */
    public static String modelsKey(List<Row> modelRows, Sampling sampling, Tiling tiling, Tracking tracking) {
        return modelsKey(modelRows, sampling, tiling) + (tracking.enabled() ? ";" + tracking : "");
    }

    /** The key of a run without tracking. */
    public static String modelsKey(List<Row> modelRows, Sampling sampling, Tiling tiling) {
        List<String> models = modelRows.stream()
                .map(r -> r.<String>getAs("kind") + ":" + r.<String>getAs("sha256"))
                .sorted()
                .toList();
        return String.join(",", models) + ";" + sampling + (tiling.enabled() ? ";" + tiling : "");
    }

    /**
     * The listed inputs that no successful run of another date inspected with the same models: a file whose size or
     * modification time changed since counts as new. The run's own date is left out, so a rerun of a night redoes
     * that night's inputs and replaces its rows.
     */
    public static JavaRDD<Input> unprocessed(
            SparkSession spark, String ledgerPath, LocalDate runDate, String modelsKey, JavaRDD<Input> listed)
            throws IOException {
        Path path = new Path(ledgerPath);
        if (!path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
            return listed;
        }
        JavaRDD<String> done = spark.read()
                .schema(Tables.PROCESSED_INPUTS.schema())
                .parquet(ledgerPath)
                .where(col("run_date")
                        .notEqual(lit(Date.valueOf(runDate)))
                        .and(col("models").equalTo(modelsKey)))
                .select("source_uri", "size", "modified_at")
                .javaRDD()
                .map(r -> key(r.getString(0), r.getLong(1), r.getTimestamp(2).getTime()));
        return listed.mapToPair(w -> new Tuple2<>(
                        key(w.file().uri(), w.file().size(), w.file().modificationTime()), w))
                .subtractByKey(done.mapToPair(k -> new Tuple2<>(k, true)))
                .values();
    }

    /**
     * The ledger rows of a run with no row in {@code errors}: every file it listed (size known), once each. Files are
     * made unique where they are, in the job that writes them (an RDD's shuffle is a stage of its job, a Dataset's
     * distinct a job of its own).
     */
    public static Dataset<Row> rows(
            SparkSession spark, JavaRDD<Input> inputs, String runId, String modelsKey, LocalDate runDate) {
        JavaRDD<Row> files = inputs.map(Input::file)
                .filter(file -> file.seen())
                .distinct()
                .map(file -> RowFactory.create(
                        file.uri(),
                        file.size(),
                        new Timestamp(file.modificationTime()),
                        modelsKey,
                        runId,
                        Date.valueOf(runDate)));
        return spark.createDataFrame(files, Tables.PROCESSED_INPUTS.schema());
    }

    /** The ledger rows of a run: every file it inspected (size known, no row in {@code errors}), once each. */
    public static Dataset<Row> rows(
            SparkSession spark,
            JavaRDD<Input> inputs,
            Dataset<Row> errors,
            String runId,
            String modelsKey,
            LocalDate runDate) {
        Dataset<Row> failed = errors.select(col("source_uri").as("failed_uri")).distinct();
        return rows(spark, inputs, runId, modelsKey, runDate)
                .join(failed, col("source_uri").equalTo(col("failed_uri")), "left_anti");
    }

    private static String key(String uri, long size, long modificationTime) {
        return uri + "\n" + size + "\n" + modificationTime;
    }
}

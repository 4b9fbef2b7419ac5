package dev.inspection.jobs.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import dev.inspection.jobs.output.Tables.Table;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetReadSupport;
import org.apache.spark.sql.execution.datasources.parquet.SparkToParquetSchemaConverter;

/**
 * Writes one run date's partition of each table under the output root, and leaves every other date as it was. Nothing
 * of the new rows is visible before the write's job commits, and a write that fails before then leaves the old rows in
 * place: on S3 the staging committer uploads each task's files as multipart uploads that only the job commit completes
 * (replacing the partition's old files then); elsewhere dynamic partition overwrite stages the files and moves them in
 * at job commit. A date with no rows for a table gets one Parquet file with no rows, so every table of a run can be
 * read, schema included, by Spark, DuckDB or an external table.
 */
public final class TableWriter {

    private static final String COMMIT_PROTOCOL = "spark.sql.sources.commitProtocolClass";
    private static final String PARQUET_COMMITTER = "spark.sql.parquet.output.committer.class";
    /** Rows that one task makes and writes in well under a second. */
    public static final long FEW_ROWS = 10_000;

    private static final String CACHED_PARTITIONING = "spark.sql.optimizer.canChangeCachedPlanOutputPartitioning";
    private static final String STAGING_PATH = "fs.s3a.committer.staging.tmp.path";

    private final SparkSession spark;
    private final String root;
    private final LocalDate runDate;

    public TableWriter(SparkSession spark, String outputRoot, LocalDate runDate) {
        this.spark = spark;
        this.root = outputRoot.endsWith("/") ? outputRoot : outputRoot + "/";
        this.runDate = runDate;
    }

    /**
     * The Parquet timestamp type, cached results partitioned as AQE sees fit, and how tables are committed: on S3
     * through the S3A staging committer, elsewhere through Hadoop's file output committer, whose renames are atomic on
     * HDFS and local disks. A {@code --conf} setting of either class wins.
     */
    private static final String MAX_PLAN_FIELDS = "spark.sql.debug.maxToStringFields";

    public void configureSession(java.util.Map<String, String> conf) {
        // A cached query's result keeps spark.sql.shuffle.partitions partitions (200, most of them empty) unless AQE
        // may coalesce it as it coalesces any other query's: then every later job over a small cache (an evaluation's
        // matches, its bad labels) ran 200 tasks a stage. An evaluation of 4 COCO images spent 48 s writing with
        // 1,693 tasks, 22 s with 102.
        spark.conf().set(CACHED_PARTITIONING, conf.getOrDefault(CACHED_PARTITIONING, "true"));
        // Plans of the run's wide rows print whole in the log, not with a WARN that they were truncated.
        spark.conf().set(MAX_PLAN_FIELDS, conf.getOrDefault(MAX_PLAN_FIELDS, "1000"));
        // Microsecond timestamps: INT96, Spark's default, is deprecated and read differently by Trino and DuckDB.
        spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        spark.conf()
                .set(
                        COMMIT_PROTOCOL,
                        conf.getOrDefault(
                                COMMIT_PROTOCOL,
                                onS3()
                                        ? "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol"
                                        : "org.apache.spark.sql.execution.datasources.SQLHadoopMapReduceCommitProtocol"));
        spark.conf()
                .set(
                        PARQUET_COMMITTER,
                        conf.getOrDefault(
                                PARQUET_COMMITTER,
                                onS3()
                                        ? "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter"
                                        : "org.apache.parquet.hadoop.ParquetOutputCommitter"));
    }

    /** The folder of a table, or of the overlays. */
    public String path(String table) {
        return root + table;
    }

    /** The run date's folder of a table, or of the overlays. */
    public String datePath(String table) {
        return path(table) + "/" + Tables.RUN_DATE + "=" + runDate;
    }

    /**
     * Replaces the run date's rows of the table with these, which must have the table's columns (by name and type).
     * The rows are made (an explode of the cached inspections, say) in a task per core, then shuffled to
     * {@code files} writers by source; they are counted as they go, and none means the date gets an empty file. With
     * {@code coalesce(files)} they were made in one task: writing the tables of 10,000 demo boards took 11.6 s here, 2.0
     * s now. Without the coalesce to the cores they would be made in a task per inference task: 1.7 s for the regions
     * of those 10,000 boards in 313 tasks, 0.3 s in 2. Two Spark jobs: AQE runs the shuffle as a job of its own.
     *
     * @param files at most this many files
     */
    public void replaceDate(Table table, Dataset<Row> rows, int files) throws IOException {
        replaceDate(table, rows, files, Long.MAX_VALUE);
    }

    /**
     * As {@link #replaceDate(Table, Dataset, int)}, for rows known to be at most {@code atMostRows}: up to
     * {@link #FEW_ROWS} they are made and written by one task into one file, in one Spark job without a shuffle. A
     * small run's regions and ledger took two jobs each, about 0.5-1.5 s a job in a fresh JVM here.
     */
    public void replaceDate(Table table, Dataset<Row> rows, int files, long atMostRows) throws IOException {
        Observation written = new Observation(table.name());
        boolean few = atMostRows <= FEW_ROWS;
        // The metrics between the two keep Spark's optimizer from folding the coalesce into the shuffle.
        Dataset<Row> counted = table.project(rows)
                .coalesce(few ? 1 : spark.sparkContext().defaultParallelism())
                .observe(written, count(lit(1)).as("rows"));
        Dataset<Row> projected = few
                ? counted
                : java.util.Arrays.asList(table.columns()).contains("source_uri")
                        ? counted.repartition(files, col("source_uri"))
                        : counted.repartition(files); // a table of figures, not of inputs: evaluation metrics
        requireColumns(table, projected);
        committed(projected, SaveMode.Overwrite).partitionBy(Tables.RUN_DATE).parquet(path(table.name()));
        if (rowsWritten(written) == 0) {
            writeEmpty(table); // Spark wrote no file, so no partition: the date's old rows are still there
        }
    }

    /** The rows a write job counted: its metrics reach the driver with the job's end, so this does not wait. */
    private static long rowsWritten(Observation written) throws IOException {
        try {
            // No metrics at all where the rows have no partition (an empty input folder): no rows either.
            Object rows = written.getAsJava().get("rows");
            return rows == null ? 0 : ((Number) rows).longValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading what a write counted");
        }
    }

    /** Replaces the run date's rows of the table with none, without a Spark job: for a table the run has no rows for. */
    public void replaceDateWithNoRows(Table table) throws IOException {
        writeEmpty(table);
    }

    /** Adds rows to the run date's partition of the table (the runs table: one row per attempt). */
    public void append(Table table, Dataset<Row> rows) {
        requireColumns(table, rows);
        committed(rows.coalesce(1), SaveMode.Append)
                .partitionBy(Tables.RUN_DATE)
                .parquet(path(table.name()));
    }

    /** How the file {@link #replaceDateWithNoRows} writes ends: a partition of it alone has no rows. */
    public static final String NO_ROWS_SUFFIX = "-empty.parquet";

    /**
     * Replaces what the date's partition held with one Parquet file that has the table's columns and no rows. The file
     * is written whole (a single PUT on S3) before the partition's other files are removed, so a reader sees the old
     * rows or none, never a missing table. Written with Parquet's own writer: a Spark write job for no rows took about
     * 0.4 s of a 1,000-image run here, this takes milliseconds.
     */
    private void writeEmpty(Table table) throws IOException {
        Path partition = new Path(datePath(table.name()));
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        FileSystem fs = partition.getFileSystem(conf);
        Path file = new Path(partition, "part-00000-" + UUID.randomUUID() + NO_ROWS_SUFFIX);
        MessageType schema =
                new SparkToParquetSchemaConverter(spark.sessionState().conf()).convert(table.partitionSchema());
        ParquetFileWriter writer = new ParquetFileWriter(
                HadoopOutputFile.fromPath(file, conf),
                schema,
                ParquetFileWriter.Mode.CREATE,
                ParquetWriter.DEFAULT_BLOCK_SIZE,
                ParquetWriter.MAX_PADDING_SIZE_DEFAULT,
                null,
                ParquetProperties.builder().build());
        writer.start();
        // Spark reads its own types (the map of metadata, say) from this key, as from the files it writes itself.
        writer.end(Map.of(
                ParquetReadSupport.SPARK_METADATA_KEY(), table.partitionSchema().json()));
        for (FileStatus old : fs.listStatus(partition)) {
            if (!old.getPath().getName().equals(file.getName())) {
                fs.delete(old.getPath(), true);
            }
        }
    }

    /** The rows must have the table's columns, in order, with its types: what a reader of the table relies on. */
    private static void requireColumns(Table table, Dataset<Row> rows) {
        var expected = java.util.Arrays.stream(table.schema().fields())
                .map(f -> f.name() + " " + f.dataType())
                .toList();
        var actual = java.util.Arrays.stream(rows.schema().fields())
                .map(f -> f.name() + " " + f.dataType())
                .toList();
        if (!expected.equals(actual)) {
            throw new IllegalStateException(
                    "the rows for " + table.name() + " have columns " + actual + ", the table " + expected);
        }
    }

    /**
     * A writer whose files become visible only when its job commits. S3A's committers cannot do dynamic overwrite: the
     * partitioned staging committer replaces the partitions it writes (conflict mode replace) when the job commits and
     * leaves the others.
     */
    private DataFrameWriter<Row> committed(Dataset<Row> rows, SaveMode mode) {
        DataFrameWriter<Row> writer = rows.write();
        if (!onS3()) {
            return mode == SaveMode.Overwrite
                    ? writer.mode(SaveMode.Overwrite).option("partitionOverwriteMode", "dynamic")
                    : writer.mode(SaveMode.Append);
        }
        writer.mode(SaveMode.Append)
                .option(
                        "mapreduce.outputcommitter.factory.scheme.s3a",
                        "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory")
                .option("fs.s3a.committer.name", "partitioned")
                .option("fs.s3a.committer.staging.conflict-mode", mode == SaveMode.Overwrite ? "replace" : "append");
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path staging = new Path(hadoop.get(STAGING_PATH, "tmp/staging"));
        if (!staging.isAbsolute()
                && "file".equals(FileSystem.getDefaultUri(hadoop).getScheme())) {
            // Task commits hand their pending uploads to the job commit through this folder on the cluster filesystem
            // (HDFS
            // on most clusters). Hadoop's default, tmp/staging, is relative: with no cluster filesystem it would
            // resolve to
            // each executor's own working folder, where the driver never looks, and the job commit would find nothing.
            // A
            // folder under the temporary directory is right in local mode and on one machine; a cluster without HDFS
            // sets
            // fs.s3a.committer.staging.tmp.path to a folder every node shares.
            writer.option(
                    STAGING_PATH,
                    new Path(System.getProperty("java.io.tmpdir"), "inspection-s3a-staging")
                            .toUri()
                            .toString());
        }
        return writer;
    }

    private boolean onS3() {
        return root.startsWith("s3a://");
    }
}

package dev.inspection.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.inspection.jobs.output.TableWriter;
import dev.inspection.jobs.output.Tables;
import java.io.IOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A run date's committed tables under an output root, as what is made of them (the report, the exports) reads them. */
public final class DateTables {

    private final SparkSession spark;
    private final TableWriter paths;
    private final LocalDate date;
    private final String output;
    private final FileSystem fs;

    public DateTables(SparkSession spark, String output, LocalDate date) throws IOException {
        this.spark = spark;
        this.paths = new TableWriter(spark, output, date);
        this.date = date;
        this.output = output;
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        this.fs = new Path(output).getFileSystem(conf);
    }

    public LocalDate date() {
        return date;
    }

    /** The date's folder of something written beside the tables ({@code reports}, {@code heatmaps}, ...). */
    public String datePath(String folder) {
        return paths.datePath(folder);
    }

    /** The date's rows of the table, without {@code run_date}; null where the date has no partition of it. */
    public Dataset<Row> rows(Tables.Table table) throws IOException {
        String partition = paths.datePath(table.name());
        if (!fs.exists(new Path(partition))) {
            return null;
        }
        return spark.read().schema(table.partitionSchema()).parquet(partition);
    }

    /**
     * The date's rows of the table where it has any: null where the date has no partition of it, or only the file a run
     * writes for no rows ({@link TableWriter#replaceDateWithNoRows}), which a Spark job would read for nothing.
     */
    public Dataset<Row> rowsIfAny(Tables.Table table) throws IOException {
        Path partition = new Path(paths.datePath(table.name()));
        if (!fs.exists(partition)
                || Arrays.stream(fs.listStatus(partition))
                        .map(f -> f.getPath().getName())
                        .filter(name -> !name.startsWith("_") && !name.startsWith("."))
                        .allMatch(name -> name.endsWith(TableWriter.NO_ROWS_SUFFIX))) {
            return null;
        }
        return rows(table);
    }

    /** The table's rows of the run dates from {@code from} to this date, with {@code run_date}; null for no table. */
    public Dataset<Row> since(Tables.Table table, LocalDate from) throws IOException {
        String root = paths.path(table.name());
        if (!fs.exists(new Path(root))) {
            return null;
        }
        return spark.read()
                .schema(table.schema())
                .parquet(root)
                .where(col(Tables.RUN_DATE).between(lit(Date.valueOf(from)), lit(Date.valueOf(date))));
    }

    /** Whether the output has the table at all, of any date. */
    public boolean has(Tables.Table table) throws IOException {
        return fs.exists(new Path(paths.path(table.name())));
    }

    /** A date there is nothing to make anything of: no run recorded, or an output that is not an inspection's. */
    public static final class NothingToShow extends Exception {
        private static final long serialVersionUID = 1L;

        public NothingToShow(String message) {
            super(message);
        }
    }

    /** Rows of the runs table in the order they were made: by when they finished, then by when they started. */
    public static final Comparator<Row> LATEST = Comparator.<Row, Timestamp>comparing(
                    r -> r.getAs("finished_at"), Comparator.nullsFirst(Comparator.<Timestamp>naturalOrder()))
            .thenComparing(
                    r -> r.<Timestamp>getAs("started_at"), Comparator.nullsFirst(Comparator.<Timestamp>naturalOrder()));

    /**
     * The latest row of the date's runs table: the date's last attempt.
     *
     * @throws NothingToShow the date has no run recorded, or the output holds no runs table
     */
    public Row lastRun() throws IOException, NothingToShow {
        Dataset<Row> runs = rows(Tables.RUNS);
        java.util.Optional<Row> last = runs == null
                ? java.util.Optional.empty()
                : Arrays.stream((Row[]) runs.collect()).max(LATEST); // a few rows: a date's attempts
        if (last.isEmpty()) {
            throw new NothingToShow(
                    has(Tables.RUNS)
                            ? "no run is recorded for " + date + " under " + output + " (runs/)"
                            : output + " holds no runs/ table: it is not the output of an inspection");
        }
        return last.get();
    }
}

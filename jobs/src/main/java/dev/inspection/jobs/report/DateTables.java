package dev.inspection.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.inspection.jobs.output.TableWriter;
import dev.inspection.jobs.output.Tables;
import java.io.IOException;
import java.sql.Date;
import java.time.LocalDate;
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

    /**
     * The latest row of the date's runs table: the date's last attempt.
     *
     * @throws NothingToShow the date has no run recorded, or the output holds no runs table
     */
    public Row lastRun() throws IOException, NothingToShow {
        Dataset<Row> runs = rows(Tables.RUNS);
        Row[] last = runs == null
                ? new Row[0]
                : (Row[]) runs.orderBy(
                                col("finished_at").desc(), col("started_at").desc())
                        .limit(1)
                        .collect();
        if (last.length == 0) {
            throw new NothingToShow(
                    has(Tables.RUNS)
                            ? "no run is recorded for " + date + " under " + output + " (runs/)"
                            : output + " holds no runs/ table: it is not the output of an inspection");
        }
        return last[0];
    }
}

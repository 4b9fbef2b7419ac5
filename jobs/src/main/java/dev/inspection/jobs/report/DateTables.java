package dev.inspection.jobs.report;

import dev.inspection.jobs.output.TableWriter;
import dev.inspection.jobs.output.Tables;
import java.io.IOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * Each run date's last run, from {@code from} to this date, in the order of their dates, with {@code run_date}:
     * read from those dates' partitions of the runs table only (one listing of the table's folder), never from every
     * date it holds.
     */
    public List<Row> lastRuns(LocalDate from) throws IOException {
        Path root = new Path(paths.path(Tables.RUNS.name()));
        if (!fs.exists(root)) {
            return List.of();
        }
        String[] dates = Arrays.stream(fs.listStatus(root))
                .map(f -> f.getPath().getName())
                .filter(name -> name.startsWith(Tables.RUN_DATE + "="))
                .filter(name -> {
                    LocalDate day = LocalDate.parse(name.substring(Tables.RUN_DATE.length() + 1));
                    return !day.isBefore(from) && !day.isAfter(date);
                })
                .map(name -> new Path(root, name).toString())
                .toArray(String[]::new);
        if (dates.length == 0) {
            return List.of();
        }
        Map<Date, Row> last = new TreeMap<>();
        for (Row run : (Row[]) spark.read()
                .schema(Tables.RUNS.schema())
                .option("basePath", root.toString())
                .parquet(dates)
                .collect()) { // a few rows a date: its attempts
            last.merge(run.getAs(Tables.RUN_DATE), run, (a, b) -> LATEST.compare(a, b) >= 0 ? a : b);
        }
        return List.copyOf(last.values());
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
    private static final Comparator<Row> LATEST = Comparator.<Row, Timestamp>comparing(
                    r -> r.getAs("finished_at"), Comparator.nullsFirst(Comparator.<Timestamp>naturalOrder()))
            .thenComparing(
                    r -> r.<Timestamp>getAs("started_at"), Comparator.nullsFirst(Comparator.<Timestamp>naturalOrder()));

    /**
     * The latest row of the date's runs table: the date's last attempt.
     *
     * @throws NothingToShow the date has no run recorded, or the output holds no runs table
     */
    public Row lastRun() throws IOException, NothingToShow {
        return lastRun(lastRuns(date));
    }

    /**
     * The date's last run among {@link #lastRuns}' rows.
     *
     * @throws NothingToShow the date has no run recorded, or the output holds no runs table
     */
    public Row lastRun(List<Row> lastRuns) throws IOException, NothingToShow {
        Row last = lastRuns.isEmpty() ? null : lastRuns.get(lastRuns.size() - 1);
        if (last == null || !last.<Date>getAs(Tables.RUN_DATE).toLocalDate().equals(date)) {
            throw new NothingToShow(
                    has(Tables.RUNS)
                            ? "no run is recorded for " + date + " under " + output + " (runs/)"
                            : output + " holds no runs/ table: it is not the output of an inspection");
        }
        return last;
    }
}

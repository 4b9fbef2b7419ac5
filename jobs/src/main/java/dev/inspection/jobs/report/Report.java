package dev.inspection.jobs.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import dev.inspection.jobs.config.ReportSettings;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.run.RunFiles;
import dev.inspection.video.Sampling;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report of a run date, for the people the night's results are for: one folder, {@code reports/run_date=DATE/},
 * holding {@code index.html} and the pictures and plots it shows, that opens from a local disk, from HDFS after a
 * download or from an S3 static website (relative links only, nothing from the network, readable on a phone).
 *
 * <p>It is made from the date's committed tables alone, so that any date's can be made again, and reads only the
 * pictures it shows: at most {@link ReportSettings#examples()} per concept and model, each at most {@link
 * ReportPictures#MAX_SIDE} pixels on a side, whatever the size of the night. It is staged under the run's id and
 * committed as the date's other files are ({@link RunFiles}): the date holds one report, the latest run's.
 */
public final class Report {

    private static final Logger LOG = LoggerFactory.getLogger(Report.class);

    /** The folder beside the tables. */
    public static final String FOLDER = "reports";

    private static final Mustache TEMPLATE =
            new DefaultMustacheFactory("dev/inspection/jobs/report").compile("report.mustache");

    private final SparkSession spark;
    private final String output;
    private final DateTables tables;
    private final ReportSettings settings;
    private final Configuration conf;

    private Report(SparkSession spark, String output, LocalDate date, ReportSettings settings) throws IOException {
        this.spark = spark;
        this.output = output.replaceAll("/+$", ""); // shown as the run's arguments give it, with or without a slash
        this.tables = new DateTables(spark, output, date);
        this.settings = settings;
        this.conf = spark.sparkContext().hadoopConfiguration();
    }

    /**
     * Makes the report of {@code date} from its committed tables and commits it through {@code files}; returns the
     * URI of its {@code index.html}.
     *
     * @throws DateTables.NothingToShow the date has no run recorded, or the output holds no inspection's tables
     */
    public static String make(
            SparkSession spark, String output, LocalDate date, ReportSettings settings, RunFiles files)
            throws IOException, DateTables.NothingToShow {
        return new Report(spark, output, date, settings).make(files);
    }

    private String make(RunFiles files) throws IOException, DateTables.NothingToShow {
        long started = System.nanoTime();
        String dateFolder = tables.datePath(FOLDER);
        Path folder = files.staging(dateFolder);
        Sections sections = new Sections(tables, settings, folder, conf);
        Made made = sections(sections);
        long sectionsMade = System.nanoTime();
        sections.unmade(ReportPictures.make(
                JavaSparkContext.fromSparkContext(spark.sparkContext()),
                sections.pictures(),
                sections.regionsOnPictures(),
                folder.toString(),
                Sampling.parse(made.run().getAs("sampling")),
                maxImagePixels(made.run())));
        StringWriter html = new StringWriter();
        TEMPLATE.execute(html, made.page()).flush();
        Storage.writeAll(new Path(folder, "index.html"), html.toString().getBytes(StandardCharsets.UTF_8), conf);
        files.commit(dateFolder);
        String index = new Path(dateFolder, "index.html").toString();
        LOG.info(
                "Report of {}: {}, {} pictures, in {} s (its sections {} s, its pictures {} s)",
                tables.date(),
                index,
                sections.pictures().size(),
                seconds(started, System.nanoTime()),
                seconds(started, sectionsMade),
                seconds(sectionsMade, System.nanoTime()));
        return index;
    }

    private static String seconds(long from, long to) {
        return String.format(Locale.ROOT, "%.1f", (to - from) / 1e9);
    }

    /** The date's last run, and the page that shows it. */
    private record Made(Row run, Page page) {}

    /**
     * The date's last run and the page's sections, made at once (a thread each): most of a small query's time is
     * Spark's latency between its stages, which the others' queries fill.
     */
    private Made sections(Sections sections) throws IOException, DateTables.NothingToShow {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Future<List<Row>> lastRuns =
                    pool.submit(() -> tables.lastRuns(tables.date().minusDays(Sections.TREND_DAYS - 1)));
            Future<List<Page.Detector>> detectors = pool.submit(sections::detectors);
            Future<Page.Groups> groups = pool.submit(sections::groups);
            Future<List<Page.AnomalyModel>> anomalyModels = pool.submit(sections::anomalyModels);
            Future<List<Page.ErrorGroup>> errors = pool.submit(sections::errors);
            Future<List<Page.Plot>> trends = pool.submit(() -> sections.trends(done(lastRuns)));
            Row run = tables.lastRun(done(lastRuns));
            return new Made(
                    run,
                    new Page(
                            tables.date().toString(),
                            output,
                            runSection(run, sections.tablesNote(run)),
                            done(detectors),
                            done(groups),
                            done(anomalyModels),
                            done(errors),
                            done(trends),
                            sections.evaluation(run),
                            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
        } finally {
            pool.shutdownNow();
        }
    }

    /** A section's result, or what stopped it. */
    private static <T> T done(Future<T> section) throws IOException, DateTables.NothingToShow {
        try {
            return section.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the report's sections were made");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof DateTables.NothingToShow nothing) {
                throw nothing;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The run the date's last runs row records. */
    private static Page.Run runSection(Row run, String tablesNote) {
        String status = run.getAs("status");
        Timestamp startedAt = run.getAs("started_at");
        Timestamp finishedAt = run.getAs("finished_at");
        List<Page.Figure> counts = new ArrayList<>();
        counts.add(figure("inputs listed", run.getAs("inputs_listed")));
        if ((long) run.getAs("inputs_skipped") > 0) {
            counts.add(figure("inspected by an earlier run", run.getAs("inputs_skipped")));
        }
        counts.add(figure("images inspected", run.getAs("images_processed")));
        if ((long) run.getAs("videos_processed") > 0) {
            counts.add(figure("videos", run.getAs("videos_processed")));
            counts.add(figure("frames inspected", run.getAs("frames_processed")));
        }
        counts.add(figure("inputs failed", run.getAs("inputs_failed")));
        counts.add(figure("files of other formats", run.getAs("inputs_unsupported")));
        counts.add(figure("regions", run.getAs("regions_written")));
        counts.add(figure("anomalous images and frames", run.getAs("anomalous_images")));
        List<Page.Model> models = run.<Row>getList(run.fieldIndex("models")).stream()
                .map(m -> new Page.Model(
                        m.getAs("kind"), m.getAs("name"), m.getAs("version"), shortHash(m.getAs("sha256"))))
                .toList();
        return new Page.Run(
                run.getAs("run_id"),
                status,
                !"SUCCEEDED".equals(status),
                run.getAs("message"),
                tablesNote,
                startedAt.toInstant().truncatedTo(ChronoUnit.SECONDS).toString(),
                finishedAt.toInstant().truncatedTo(ChronoUnit.SECONDS).toString(),
                duration(Duration.between(startedAt.toInstant(), finishedAt.toInstant())),
                phases(run),
                counts,
                models,
                run.getAs("sampling"),
                run.getAs("tiling"),
                run.getAs("tracking"));
    }

    /** The seconds of each phase the run recorded, in their order: {@code listing 1.2 s · inference 35.2 s}. */
    private static String phases(Row run) {
        int field = run.fieldIndex("phase_seconds");
        if (run.isNullAt(field)) {
            return null; // a run that stopped half way, or one of a version that did not record them
        }
        java.util.Map<String, Double> seconds = new java.util.TreeMap<>(run.getJavaMap(field));
        List<String> order = List.of("listing", "planning", "inference", "annotating", "writing");
        return seconds.entrySet().stream()
                .sorted(java.util.Comparator.comparingInt(
                        e -> order.indexOf(e.getKey()) < 0 ? order.size() : order.indexOf(e.getKey())))
                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
                .collect(java.util.stream.Collectors.joining(" · "));
    }

    /** The run's limit on a picture's size, as its configuration records it. */
    private static long maxImagePixels(Row run) {
        String recorded =
                run.<String, String>getJavaMap(run.fieldIndex("config")).get("max-image-pixels");
        return recorded == null ? Long.MAX_VALUE : Long.parseLong(recorded);
    }

    static Page.Figure figure(String label, long value) {
        return new Page.Figure(label, number(value));
    }

    static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String shortHash(String sha256) {
        return sha256 == null ? "" : sha256.substring(0, Math.min(12, sha256.length()));
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        return s < 60
                ? s + " s"
                : s < 3600 ? s / 60 + " min " + s % 60 + " s" : s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}

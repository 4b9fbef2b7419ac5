package dev.inspection.jobs.report;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;

import dev.inspection.annotate.Annotator;
import dev.inspection.jobs.annotate.DrawnRegion;
import dev.inspection.jobs.config.ReportSettings;
import dev.inspection.jobs.evaluate.Evaluation;
import dev.inspection.jobs.evaluate.report.Plots;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.output.Tables;
import java.io.IOException;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.StructField;

/**
 * The report's sections, each from the date's committed tables by a few Spark queries whose results are bounded
 * (counts, and the first few rows of each concept, group or error class), never a table collected whole. The pictures
 * they show are collected as requests, made afterwards in one Spark job ({@link ReportPictures}).
 */
final class Sections {

    /** The run dates the trend plots go back over, the report's own included. */
    static final int TREND_DAYS = 30;

    /** The groups a report's table per group shows, those with most regions first. */
    static final int MAX_GROUPS = 200;

    /** Error groups the report lists, the largest first; and the sources each names. */
    static final int MAX_ERROR_GROUPS = 50;

    static final int ERROR_EXAMPLES = 3;

    static final int HISTOGRAM_BINS = 30;

    private final DateTables tables;
    private final ReportSettings settings;
    private final Path folder;
    private final Configuration conf;
    /** The pictures to make, added by sections that run at once; each names its own ({@link #nextPicture}). */
    private final List<ReportPictures.Request> pictures = java.util.Collections.synchronizedList(new ArrayList<>());

    private final Map<String, Integer> picturesNamed = new java.util.concurrent.ConcurrentHashMap<>();
    /** Every region of each picture shown whose regions came with it, by {@link DrawnRegion#picture()}. */
    private final Map<String, List<DrawnRegion>> drawn = new java.util.concurrent.ConcurrentHashMap<>();
    /** Why each picture that could not be made was not, by file: filled once they are made. */
    private final Map<String, String> unmade = new HashMap<>();

    private final Dataset<Row> regions;

    Sections(DateTables tables, ReportSettings settings, Path folder, Configuration conf) throws IOException {
        this.tables = tables;
        this.settings = settings;
        this.folder = folder;
        this.conf = conf;
        this.regions = tables.rowsIfAny(Tables.REGIONS);
    }

    /** The pictures the sections show, to be made. */
    List<ReportPictures.Request> pictures() {
        return pictures;
    }

    /** Records why the pictures that could not be made were not: the page shows them as missing. */
    void unmade(Map<String, String> missing) {
        unmade.putAll(missing);
    }

    /**
     * Every region on a picture the sections show: each is drawn on it. Those of the detectors' pictures came with
     * them; those of the tracked objects' best frames are read.
     */
    List<DrawnRegion> regionsOnPictures() {
        List<DrawnRegion> onPictures = new ArrayList<>();
        drawn.values().forEach(onPictures::addAll);
        Set<String> unknown = new LinkedHashSet<>();
        pictures.stream()
                .filter(ReportPictures.Request::regions)
                .map(p -> DrawnRegion.picture(p.source(), p.frameNumber()))
                .filter(picture -> !drawn.containsKey(picture))
                .forEach(unknown::add);
        if (regions == null || unknown.isEmpty()) {
            return onPictures;
        }
        Object[] sources = pictures.stream()
                .filter(p -> unknown.contains(DrawnRegion.picture(p.source(), p.frameNumber())))
                .map(ReportPictures.Request::source)
                .distinct()
                .toArray();
        Arrays.stream((Row[]) regions.where(col("source_uri").isin(sources))
                        .select(DrawnRegion.COLUMNS)
                        .collect())
                .map(DrawnRegion::of)
                .filter(r -> unknown.contains(r.picture()))
                .forEach(onPictures::add);
        return onPictures;
    }

    /**
     * Where the tables' rows come from when the run failed: whose rows they are. Null for a run that succeeded, whose
     * rows they all are.
     */
    String tablesNote(Row run) throws IOException {
        if ("SUCCEEDED".equals(run.getAs("status"))) {
            return null;
        }
        String runId = run.getAs("run_id");
        Set<String> writers = new TreeSet<>();
        for (Tables.Table table : List.of(Tables.REGIONS, Tables.IMAGE_SCORES, Tables.ERRORS)) {
            Dataset<Row> rows = tables.rowsIfAny(table);
            if (rows != null) {
                Arrays.stream((Row[]) rows.select("run_id").distinct().collect())
                        .forEach(r -> writers.add(r.getString(0)));
            }
        }
        if (writers.isEmpty()) {
            return "The date's tables hold no rows.";
        }
        if (writers.equals(Set.of(runId))) {
            return "The tables below are this run's: it wrote them, and then counted as failed.";
        }
        writers.remove(runId);
        return "The tables below hold what run " + String.join(", ", writers) + " committed earlier: this run did not"
                + " replace " + (writers.size() == 1 ? "it" : "them") + ".";
    }

    // ---- detectors

    List<Page.Detector> detectors() throws IOException {
        if (regions == null) {
            return List.of();
        }
        // Each concept's tracked objects, the best first; and each picture's regions, then each concept's best pictures
        // with every region drawn on them: the two Spark jobs at once.
        Dataset<Row> tracks = tables.rowsIfAny(Tables.TRACKS);
        FirstOfEach.Job<ModelConcept, Example> objects = tracks == null
                ? null
                : bestOf(tracks.select(
                                col("model_name"),
                                col("source_uri"),
                                col("best_frame_number"),
                                col("concept_id"),
                                col("concept_name"),
                                col("best_score"),
                                col("track_id"),
                                col("x_min"),
                                col("y_min"),
                                col("x_max"),
                                col("y_max"),
                                col("detections").cast("long"))
                        .javaRDD()
                        .map(r -> new Example(r.getString(0), DrawnRegion.of(r, 1), r.getLong(11), null)));
        JavaRDD<Example> pictures = regions.groupBy("source_uri", "frame_number")
                .agg(collect_list(struct(concat(col("model_name"), concat(col("region_id"), DrawnRegion.COLUMNS))))
                        .as("regions"))
                .javaRDD()
                .flatMap(picture -> Example.ofPicture(picture.getList(2)).iterator());
        Map<ModelConcept, FirstOfEach<Example>> concepts = bestOf(pictures).get();
        Map<ModelConcept, FirstOfEach<Example>> tracked = objects == null ? Map.of() : objects.get();
        Map<String, List<Page.Concept>> byModel = new TreeMap<>();
        Map<String, Long> regionsByModel = new HashMap<>();
        List<Map.Entry<ModelConcept, FirstOfEach<Example>>> ordered = new ArrayList<>(concepts.entrySet());
        ordered.sort(
                Map.Entry.<ModelConcept, FirstOfEach<Example>>comparingByKey(Comparator.comparing(ModelConcept::model))
                        .thenComparing(e -> -e.getValue().sum())
                        .thenComparing(e -> e.getKey().name()));
        for (Map.Entry<ModelConcept, FirstOfEach<Example>> entry : ordered) {
            ModelConcept concept = entry.getKey();
            FirstOfEach<Example> shown = entry.getValue();
            FirstOfEach<Example> conceptObjects = tracked.get(concept);
            regionsByModel.merge(concept.model(), shown.sum(), Long::sum);
            byModel.computeIfAbsent(concept.model(), m -> new ArrayList<>())
                    .add(new Page.Concept(
                            concept.name(),
                            String.format(
                                    "#%06x",
                                    Annotator.colour(
                                            shown.first().get(0).region().conceptId())),
                            Report.number(shown.sum()),
                            Report.number(shown.count()),
                            conceptObjects == null ? "" : Report.number(conceptObjects.count()),
                            requests(shown.first(), false),
                            requests(conceptObjects == null ? List.of() : conceptObjects.first(), true)));
        }
        List<Page.Detector> detectors = new ArrayList<>();
        byModel.forEach((model, shown) -> detectors.add(
                new Page.Detector(model, Report.number(regionsByModel.get(model)), shown, !tracked.isEmpty())));
        return detectors;
    }

    /** A model's concept, as the report counts regions and objects by it. */
    private record ModelConcept(String model, String name) implements java.io.Serializable {}

    /**
     * The best examples of each concept: the highest score first, then by source and frame (for a track, its id);
     * counted, and their counts summed.
     */
    private FirstOfEach.Job<ModelConcept, Example> bestOf(JavaRDD<Example> examples) {
        return FirstOfEach.of(
                examples,
                ex -> new ModelConcept(ex.model(), ex.region().concept()),
                Example::count,
                BEST_EXAMPLE,
                settings.examples());
    }

    private static final FirstOfEach.Order<Example> BEST_EXAMPLE = (a, b) -> {
        int byScore = Double.compare(b.region().score(), a.region().score());
        if (byScore != 0) {
            return byScore;
        }
        int bySource = a.region().source().compareTo(b.region().source());
        if (bySource != 0) {
            return bySource;
        }
        int byFrame = Comparator.nullsFirst(Comparator.<Long>naturalOrder())
                .compare(a.region().frameNumber(), b.region().frameNumber());
        return byFrame != 0
                ? byFrame
                : Comparator.nullsFirst(Comparator.<String>naturalOrder())
                        .compare(a.region().trackId(), b.region().trackId());
    };

    /**
     * An example of a concept: a picture's best region of it, and how many regions of it the picture has (for a track,
     * how many detections the track has).
     *
     * @param onPicture every region of the picture, of every model, where they are known
     */
    private record Example(String model, DrawnRegion region, long count, List<DrawnRegion> onPicture)
            implements java.io.Serializable {

        /**
         * A picture's example of each model's concept on it, from its regions as rows of a model's name, a region's id
         * and {@link DrawnRegion#COLUMNS}: the best region of the concept (the highest score, then the last region id).
         */
        static List<Example> ofPicture(List<Row> regions) {
            Map<ModelConcept, Row> best = new HashMap<>();
            Map<ModelConcept, Long> counts = new HashMap<>();
            for (Row region : regions) {
                ModelConcept concept = new ModelConcept(region.getString(0), region.getString(5));
                counts.merge(concept, 1L, Long::sum);
                best.merge(
                        concept,
                        region,
                        (a, b) -> a.getDouble(6) != b.getDouble(6)
                                ? (a.getDouble(6) > b.getDouble(6) ? a : b)
                                : (a.getString(1).compareTo(b.getString(1)) >= 0 ? a : b));
            }
            List<DrawnRegion> onPicture =
                    regions.stream().map(r -> DrawnRegion.of(r, 2)).toList();
            return best.entrySet().stream()
                    .map(e -> new Example(
                            e.getKey().model(), DrawnRegion.of(e.getValue(), 2), counts.get(e.getKey()), onPicture))
                    .toList();
        }
    }

    /** The pictures of these examples, each cropped around its region where the picture is large. */
    private List<Page.Picture> requests(List<Example> shown, boolean tracks) {
        List<Page.Picture> made = new ArrayList<>();
        for (Example example : shown) {
            DrawnRegion region = example.region();
            String file = nextPicture(tracks ? "object" : "region");
            pictures.add(ReportPictures.Request.ofRegion(file, region));
            if (example.onPicture() != null) {
                drawn.put(region.picture(), example.onPicture());
            }
            String detail = (region.frameNumber() == null ? "" : "frame " + region.frameNumber() + " · ")
                    + (tracks
                            ? String.format(
                                    Locale.ROOT,
                                    "object %s · %d detections · best score %.2f",
                                    region.trackId(),
                                    example.count(),
                                    region.score())
                            : String.format(
                                    Locale.ROOT,
                                    "%d %s · best score %.2f",
                                    example.count(),
                                    example.count() == 1 ? "region" : "regions",
                                    region.score()));
            made.add(new Page.Picture(file, fileName(region.source()), region.source(), detail, unmade));
        }
        return made;
    }

    /**
     * The file of a section's next picture: {@code pictures/KIND-0001.jpg} and on. Each kind is named by one section,
     * in its own order, so the names do not depend on which section runs first.
     */
    private String nextPicture(String kind) {
        return String.format("pictures/%s-%04d.jpg", kind, picturesNamed.merge(kind, 1, Integer::sum));
    }

    // ---- groups

    Page.Groups groups() throws IOException {
        ReportSettings.Grouping grouping = settings.groupBy();
        if (grouping.none() || regions == null) {
            return null;
        }
        Column group = coalesce(
                grouping.column() == null
                        ? try_element_at(split(col("source_uri"), "/"), lit(-(grouping.folderLevel() + 1)))
                        : try_element_at(col("metadata"), lit(grouping.column())),
                lit("(none)"));
        Dataset<Row> counts = regions.withColumn("group", group)
                .groupBy("group", "concept_name")
                .agg(count(lit(1)).as("regions"))
                .cache();
        try {
            Dataset<Row> totals = counts.groupBy("group").agg(sum("regions").as("total"));
            // The inputs of each folder, those without regions among them: every input the date's tables name.
            Dataset<Row> inputs = grouping.column() == null ? folderInputs() : null;
            if (inputs != null) {
                totals = totals.join(
                                inputs.withColumn("group", group)
                                        .groupBy("group")
                                        .agg(countDistinct("source_uri").as("inputs")),
                                scala.jdk.javaapi.CollectionConverters.asScala(List.of("group"))
                                        .toSeq(),
                                "full_outer")
                        .na()
                        .fill(0L, new String[] {"total", "inputs"});
            } else {
                totals = totals.withColumn("inputs", lit(0L));
            }
            // The groups with most regions first, then most inputs, then by name.
            Row[] shown = (Row[]) totals.orderBy(desc("total"), desc("inputs"), col("group"))
                    .limit(MAX_GROUPS)
                    .collect();
            long all = shown.length < MAX_GROUPS ? shown.length : totals.count();
            Object[] names = Arrays.stream(shown).map(r -> r.getAs("group")).toArray();
            Set<String> concepts = new TreeSet<>();
            Map<String, Map<String, Long>> perGroup = new HashMap<>();
            for (Row r : (Row[]) counts.where(col("group").isin(names)).collect()) {
                perGroup.computeIfAbsent(r.getString(0), g -> new HashMap<>()).put(r.getString(1), r.getLong(2));
                concepts.add(r.getString(1));
            }
            List<Page.GroupRow> rows = new ArrayList<>();
            for (Row r : shown) {
                Map<String, Long> of = perGroup.getOrDefault(r.<String>getAs("group"), Map.of());
                rows.add(new Page.GroupRow(
                        r.getAs("group"),
                        inputs != null ? Report.number(r.<Long>getAs("inputs")) : "",
                        concepts.stream()
                                .map(c -> Report.number(of.getOrDefault(c, 0L)))
                                .toList(),
                        Report.number(r.<Long>getAs("total"))));
            }
            return new Page.Groups(
                    grouping.toString(),
                    inputs != null,
                    List.copyOf(concepts),
                    rows,
                    all > rows.size() ? Report.number(all - rows.size()) + " more groups are not shown" : null);
        } finally {
            counts.unpersist();
        }
    }

    /**
     * The sources of the date's inputs: those with rows in a result table, those the ledger lists as inspected (after a
     * successful run, those without results among them) and those that failed; null for none.
     */
    private Dataset<Row> folderInputs() throws IOException {
        Dataset<Row> sources = null;
        for (Tables.Table table :
                List.of(Tables.PROCESSED_INPUTS, Tables.REGIONS, Tables.IMAGE_SCORES, Tables.ERRORS)) {
            Dataset<Row> rows = tables.rowsIfAny(table);
            if (rows != null) {
                sources = sources == null ? rows.select("source_uri") : sources.union(rows.select("source_uri"));
            }
        }
        return sources;
    }

    // ---- anomaly models

    List<Page.AnomalyModel> anomalyModels() throws IOException {
        Dataset<Row> scores = tables.rowsIfAny(Tables.IMAGE_SCORES);
        if (scores == null) {
            return List.of();
        }
        // One query: each model's counts and score range beside its most anomalous pictures and their overlays.
        WindowSpec model = Window.partitionBy("model_name");
        Dataset<Row> top = scores.withColumn("scored", count(lit(1)).over(model))
                .withColumn(
                        "flagged",
                        sum(when(col("is_anomalous"), 1L).otherwise(0L)).over(model))
                .withColumn("low", min("score").over(model))
                .withColumn("high", max("score").over(model))
                .withColumn("model_threshold", max("threshold").over(model))
                .withColumn(
                        "rank",
                        row_number()
                                .over(model.orderBy(
                                        col("score").desc(),
                                        col("source_uri"),
                                        col("frame_number").asc_nulls_first())))
                .where(col("rank").leq(settings.examples()));
        Dataset<Row> heatmaps = tables.rowsIfAny(Tables.HEATMAP_SUMMARIES);
        if (heatmaps != null) {
            Dataset<Row> overlays = heatmaps.select(
                    col("model_name").as("h_model"),
                    col("source_uri").as("h_source"),
                    col("frame_number").as("h_frame"),
                    col("heatmap_uri"));
            top = top.join(
                    overlays,
                    col("model_name")
                            .equalTo(col("h_model"))
                            .and(col("source_uri").equalTo(col("h_source")))
                            .and(col("frame_number").eqNullSafe(col("h_frame"))),
                    "left");
        } else {
            top = top.withColumn("heatmap_uri", lit(null).cast("string"));
        }
        Row[] rows = (Row[]) top.select(
                        "model_name",
                        "source_uri",
                        "frame_number",
                        "score",
                        "is_anomalous",
                        "heatmap_uri",
                        "scored",
                        "flagged",
                        "low",
                        "high",
                        "model_threshold",
                        "rank")
                .collect();
        // A few rows a model: sorted here, not by a Spark job.
        Arrays.sort(rows, Comparator.<Row, String>comparing(r -> r.getString(0)).thenComparingInt(r -> r.getInt(11)));
        Map<String, Plots.Histogram> histograms = histograms(scores, rows);
        List<Page.AnomalyModel> models = new ArrayList<>();
        for (Row first : rows) {
            if (first.getInt(11) != 1) {
                continue; // a model's counts are on each of its rows: taken from its first
            }
            String name = first.getString(0);
            List<Page.Picture> examples = new ArrayList<>();
            for (Row r : rows) {
                if (!r.getString(0).equals(name)) {
                    continue;
                }
                Long frame = r.isNullAt(2) ? null : r.getLong(2);
                String file = nextPicture("anomaly");
                pictures.add(ReportPictures.Request.ofAnomaly(file, r.getString(1), frame, r.getString(5)));
                examples.add(new Page.Picture(
                        file,
                        fileName(r.getString(1)),
                        r.getString(1),
                        (frame == null ? "" : "frame " + frame + " · ")
                                + String.format(Locale.ROOT, "score %.3f", r.getDouble(3))
                                + (r.getBoolean(4) ? " · anomalous" : ""),
                        unmade));
            }
            Double threshold = first.isNullAt(10) ? null : first.getDouble(10);
            models.add(new Page.AnomalyModel(
                    name,
                    Report.number(first.getLong(6)),
                    Report.number(first.getLong(7)),
                    threshold == null ? "" : String.format(Locale.ROOT, "%.3f", threshold),
                    histogram(name, histograms.get(name), threshold, models.size()),
                    examples));
        }
        return models;
    }

    /**
     * Each model's score histogram, flagged images apart, {@link #HISTOGRAM_BINS} bins over its score range: one query
     * for every model, given rows of {@link #anomalyModels}' query (a model's range on each).
     */
    private static Map<String, Plots.Histogram> histograms(Dataset<Row> scores, Row[] ranked) {
        Map<String, Plots.Histogram> histograms = new HashMap<>();
        Column from = lit(null).cast("double");
        Column width = lit(null).cast("double");
        for (Row r : ranked) {
            double low = r.getDouble(8);
            double high = r.getDouble(9) > low ? r.getDouble(9) : low + 1;
            double[] edges = new double[HISTOGRAM_BINS + 1];
            for (int i = 0; i <= HISTOGRAM_BINS; i++) {
                edges[i] = low + (high - low) * i / HISTOGRAM_BINS;
            }
            if (histograms.putIfAbsent(
                            r.getString(0),
                            new Plots.Histogram(edges, new long[HISTOGRAM_BINS], new long[HISTOGRAM_BINS]))
                    == null) {
                from = when(col("model_name").equalTo(r.getString(0)), lit(low)).otherwise(from);
                width = when(col("model_name").equalTo(r.getString(0)), lit(high - low))
                        .otherwise(width);
            }
        }
        Column bin =
                least(floor(col("score").minus(from).divide(width).multiply(HISTOGRAM_BINS)), lit(HISTOGRAM_BINS - 1));
        for (Row r : (Row[]) scores.groupBy(col("model_name"), bin.cast("int").as("bin"), col("is_anomalous"))
                .count()
                .collect()) {
            Plots.Histogram h = histograms.get(r.getString(0));
            (r.getBoolean(2) ? h.anomalous() : h.normal())[r.getInt(1)] += r.getLong(3);
        }
        return histograms;
    }

    private Page.Plot histogram(String model, Plots.Histogram counts, Double threshold, int index) throws IOException {
        String file = String.format("plots/scores-%d.png", index + 1);
        byte[] png = Plots.scoreHistogram(
                model + ": image scores",
                counts.edges(),
                counts.normal(),
                counts.anomalous(),
                threshold == null ? counts.edges()[0] : threshold,
                threshold == null ? "" : String.format(Locale.ROOT, "threshold %.3f", threshold));
        Storage.writeAll(new Path(folder, file), png, conf);
        return new Page.Plot(file, model + ": image scores, those judged anomalous in red");
    }

    // ---- errors

    List<Page.ErrorGroup> errors() throws IOException {
        Dataset<Row> errors = tables.rowsIfAny(Tables.ERRORS);
        if (errors == null) {
            return List.of();
        }
        // Each stage and class's count beside its first few sources (a few dozen classes at most).
        Map<ErrorKind, FirstOfEach<Row>> kinds = FirstOfEach.of(
                        errors.select("stage", "error_class", "message", "source_uri", "frame_number")
                                .javaRDD(),
                        r -> new ErrorKind(r.getString(0), r.getString(1)),
                        r -> 1,
                        BY_SOURCE,
                        ERROR_EXAMPLES)
                .get();
        return kinds.entrySet().stream()
                .sorted(Comparator.<Map.Entry<ErrorKind, FirstOfEach<Row>>>comparingLong(
                                e -> -e.getValue().count())
                        .thenComparing(e -> e.getKey().stage())
                        .thenComparing(e -> e.getKey().errorClass()))
                .limit(MAX_ERROR_GROUPS)
                .map(kind -> {
                    List<Row> first = kind.getValue().first();
                    return new Page.ErrorGroup(
                            kind.getKey().stage(),
                            kind.getKey().errorClass(),
                            Report.number(kind.getValue().count()),
                            first.get(0).getString(2),
                            first.stream().map(r -> r.getString(3)).toList());
                })
                .toList();
    }

    /** The stage and class of an error, as the report groups them. */
    private record ErrorKind(String stage, String errorClass) implements java.io.Serializable {}

    /** An error's order among its class's: by source, then frame. */
    private static final FirstOfEach.Order<Row> BY_SOURCE = (a, b) -> {
        int bySource = a.getString(3).compareTo(b.getString(3));
        return bySource != 0
                ? bySource
                : Comparator.nullsFirst(Comparator.<Long>naturalOrder())
                        .compare(a.isNullAt(4) ? null : a.getLong(4), b.isNullAt(4) ? null : b.getLong(4));
    };

    // ---- trends

    /** The trend plots of the last {@link #TREND_DAYS} run dates, given each date's last run ({@link DateTables#lastRuns}). */
    List<Page.Plot> trends(List<Row> lastRuns) throws IOException {
        Row[] last = lastRuns.toArray(Row[]::new);
        List<String> days = Arrays.stream(last)
                .map(r -> r.<Date>getAs(Tables.RUN_DATE).toString())
                .toList();
        List<Page.Plot> plots = new ArrayList<>();
        plots.add(trend(
                "trend-inputs.png",
                "Inputs per night",
                "inputs",
                days,
                List.of(
                        new Plots.Trend("listed", values(last, r -> r.<Long>getAs("inputs_listed"))),
                        new Plots.Trend("failed", values(last, r -> r.<Long>getAs("inputs_failed"))))));
        if (tables.has(Tables.REGIONS)) {
            // Each run's row counts its regions per concept: the trend reads no night's regions.
            Map<String, double[]> perConcept = new TreeMap<>();
            for (int day = 0; day < last.length; day++) {
                int field = last[day].fieldIndex("regions_per_concept");
                if (!last[day].isNullAt(field)) {
                    for (Map.Entry<String, Long> n :
                            last[day].<String, Long>getJavaMap(field).entrySet()) {
                        perConcept.computeIfAbsent(n.getKey(), c -> nans(days.size()))[day] = n.getValue();
                    }
                }
            }
            plots.add(trend(
                    "trend-regions.png",
                    "Regions per concept per night",
                    "regions",
                    days,
                    perConcept.entrySet().stream()
                            .map(e -> new Plots.Trend(e.getKey(), e.getValue()))
                            .toList()));
        }
        if (tables.has(Tables.IMAGE_SCORES)) {
            plots.add(trend(
                    "trend-anomalous.png",
                    "Share of images and frames judged anomalous",
                    "share",
                    days,
                    List.of(new Plots.Trend("anomalous", values(last, r -> {
                        long seen = r.<Long>getAs("images_processed") + r.<Long>getAs("frames_processed");
                        return seen == 0 ? Double.NaN : r.<Long>getAs("anomalous_images") / (double) seen;
                    })))));
        }
        return plots;
    }

    private Page.Plot trend(String name, String title, String unit, List<String> days, List<Plots.Trend> lines)
            throws IOException {
        String file = "plots/" + name;
        Storage.writeAll(new Path(folder, file), Plots.trend(title, unit, days, lines, unit.equals("share")), conf);
        return new Page.Plot(file, title);
    }

    private static double[] values(Row[] rows, java.util.function.ToDoubleFunction<Row> value) {
        return Arrays.stream(rows).mapToDouble(value).toArray();
    }

    private static double[] nans(int n) {
        double[] values = new double[n];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    // ---- evaluation

    /** An evaluation run's metrics and plots; null for an inspection. */
    Page.Evaluation evaluation(Row run) throws IOException {
        String recorded = run.getAs("evaluation");
        if (recorded == null) {
            return null;
        }
        String runId = run.getAs("run_id");
        List<Page.MetricTable> metrics = new ArrayList<>();
        for (Tables.Table table : List.of(Evaluation.DETECTION_METRICS, Evaluation.ANOMALY_METRICS)) {
            Dataset<Row> rows = tables.rowsIfAny(table);
            if (rows == null) {
                continue;
            }
            List<String> columns = Arrays.stream(rows.schema().fields())
                    .filter(f -> f.dataType() instanceof AtomicType && !f.name().equals("run_id"))
                    .map(StructField::name)
                    .toList();
            List<List<String>> cells = Arrays.stream(
                            (Row[]) rows.where(col("run_id").equalTo(runId))
                                    .select(columns.stream()
                                            .map(org.apache.spark.sql.functions::col)
                                            .toArray(Column[]::new))
                                    .collect())
                    .map(r -> columns.stream().map(c -> cell(r.getAs(c))).toList())
                    .toList();
            if (!cells.isEmpty()) {
                metrics.add(new Page.MetricTable(table.name(), columns, cells));
            }
        }
        List<Page.Plot> plots = new ArrayList<>();
        FileSystem fs = new Path(tables.datePath(Evaluation.PLOTS)).getFileSystem(conf);
        for (String kind : List.of("detection", "anomaly")) {
            Path made = new Path(tables.datePath(Evaluation.PLOTS) + "/" + kind + "/" + runId);
            if (!fs.exists(made)) {
                continue;
            }
            for (FileStatus plot : fs.listStatus(made)) {
                String file = "evaluation/" + kind + "-" + plot.getPath().getName();
                Storage.writeAll(
                        new Path(folder, file), Storage.readAll(plot.getPath().toString(), conf), conf);
                plots.add(new Page.Plot(file, plot.getPath().getName()));
            }
        }
        plots.sort(Comparator.comparing(Page.Plot::file));
        return new Page.Evaluation(recorded, metrics, plots);
    }

    private static String cell(Object value) {
        return value instanceof Double d
                ? String.format(Locale.ROOT, "%.3f", d)
                : value instanceof Long l ? Report.number(l) : String.valueOf(value);
    }

    /** The last part of a source's path: what a person knows it by. */
    static String fileName(String source) {
        return source.substring(source.lastIndexOf('/') + 1);
    }

    private static Column[] concat(Column first, Column[] rest) {
        Column[] all = new Column[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}

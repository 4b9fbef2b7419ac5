package dev.inspection.jobs.output;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.inspection.eval.PixelCounts;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The output tables, each a folder under the output root partitioned by {@code run_date}, with their schemas; and the
 * per-input inspection rows they are derived from. Plain Parquet types (string, int, bigint, double, date, timestamp in
 * microseconds) that Spark SQL, Trino and DuckDB all read as is. Each table's columns are named once, here: the job
 * selects them by these names, so a column added to a table and not to what it is made of fails the run's first write.
 */
public final class Tables {

    /** An output table: its folder's name and its columns, {@code run_date} last. */
    public record Table(String name, StructType schema) implements java.io.Serializable {
        /** The columns' names, in order. */
        public String[] columns() {
            return schema.fieldNames();
        }

        /** The table's columns of these rows, by name, in the table's order. */
        public Dataset<Row> project(Dataset<Row> rows) {
            return rows.select(java.util.Arrays.stream(columns())
                    .map(org.apache.spark.sql.functions::col)
                    .toArray(org.apache.spark.sql.Column[]::new));
        }

        /** The columns without {@code run_date}: what one date partition's files hold. */
        public StructType partitionSchema() {
            return createStructType(java.util.Arrays.stream(schema.fields())
                    .filter(f -> !f.name().equals(RUN_DATE))
                    .toList());
        }
    }

    public static final String RUN_DATE = "run_date";

    /** The folder of the anomaly overlays (PNG files, not a table), beside the tables. */
    public static final String HEATMAPS = "heatmaps";

    private Tables() {}

    /** One detected region, nested in an inspection row; flattened into the regions table. */
    /** A box normalized to [0, 1] of the image's height and width, then in pixels. */
    private static final List<StructField> BOX = List.of(
            field("top_row", DoubleType),
            field("left_col", DoubleType),
            field("bottom_row", DoubleType),
            field("right_col", DoubleType),
            field("x_min", DoubleType),
            field("y_min", DoubleType),
            field("x_max", DoubleType),
            field("y_max", DoubleType));

    public static final StructType REGION = struct(
            List.of(
                    field("model_name", StringType),
                    field("model_version", StringType),
                    field("model_sha256", StringType),
                    field("region_id", StringType),
                    field("track_id", StringType),
                    field("concept_id", IntegerType),
                    field("concept_name", StringType),
                    field("score", DoubleType)),
            BOX);

    /**
     * One track of a detector's in a video segment, nested in the inspection row of the segment's last inspected frame;
     * flattened into the tracks table. Frame numbers and times are those of the frames the tracker reported it on; the
     * box is the best-scored detection's.
     */
    public static final StructType TRACK = struct(
            List.of(
                    field("model_name", StringType),
                    field("model_version", StringType),
                    field("model_sha256", StringType),
                    field("track_id", StringType),
                    field("concept_id", IntegerType),
                    field("concept_name", StringType),
                    field("first_frame_number", LongType),
                    field("last_frame_number", LongType),
                    field("first_time_ms", LongType),
                    field("last_time_ms", LongType),
                    field("detections", IntegerType),
                    field("best_score", DoubleType),
                    field("mean_score", DoubleType),
                    field("best_frame_number", LongType)),
            BOX);

    /**
     * What the merge stage joins a track across a segment border by, beside {@link #TRACK}'s columns and kept out of
     * the tracks table: the segment it was tracked in; its detections' boxes ({@code x_min, y_min, x_max, y_max}) by
     * frame number on the frames of the segment's look-back (before its start, the segment before's frames) and on the
     * frames at its end that the next segment's look-back covers; and its frames per class.
     */
    public static final List<StructField> TRACK_JOIN = List.of(
            field("segment", IntegerType),
            field("segment_count", IntegerType),
            field("lookback_boxes", createMapType(LongType, createArrayType(DoubleType, false), false)),
            field("tail_boxes", createMapType(LongType, createArrayType(DoubleType, false), false)),
            field("class_frames", createMapType(IntegerType, IntegerType, false)));

    /** A track as the tasks and the merge stage carry it: its columns, then what it is joined by. */
    public static final StructType TRACK_PART = struct(List.of(TRACK.fields()), TRACK_JOIN);

    /** One connected region of a thresholded heatmap. */
    public static final StructType BLOB = createStructType(List.of(
            field("top_row", DoubleType),
            field("left_col", DoubleType),
            field("bottom_row", DoubleType),
            field("right_col", DoubleType),
            field("peak", DoubleType),
            field("mean", DoubleType),
            field("area_fraction", DoubleType)));

    /** An evaluated image's anomaly map counted against its mask: histograms the anomaly metrics add up. */
    public static final StructType PIXEL_COUNTS = createStructType(List.of(
            createStructField("normal_bins", createArrayType(IntegerType, false), false),
            createStructField("normal_pixels", createArrayType(LongType, false), false),
            createStructField("anomalous_bins", createArrayType(IntegerType, false), false),
            createStructField("anomalous_pixels", createArrayType(LongType, false), false),
            createStructField("region_bins", createArrayType(IntegerType, false), false),
            createStructField("region_shares", createArrayType(DoubleType, false), false),
            createStructField("regions", LongType, false),
            createStructField("images", LongType, false)));

    /**
     * One anomaly model's verdict on an image, nested in an inspection row; split into image_scores and heatmaps. In an
     * evaluation, {@code pixel_counts} holds the image's map counted against its mask (null otherwise), kept out of
     * the tables.
     */
    public static final StructType ANOMALY = createStructType(List.of(
            field("model_name", StringType),
            field("model_version", StringType),
            field("model_sha256", StringType),
            field("score", DoubleType),
            field("raw_score", DoubleType),
            field("threshold", DoubleType),
            field("is_anomalous", BooleanType),
            field("concept_name", StringType),
            field("max", DoubleType),
            field("mean", DoubleType),
            field("std", DoubleType),
            field("p95", DoubleType),
            field("p99", DoubleType),
            field("anomalous_area_fraction", DoubleType),
            field("blob_count", IntegerType),
            field("blobs", createArrayType(BLOB, false)),
            field("grid_width", IntegerType),
            field("grid_height", IntegerType),
            field("grid", createArrayType(FloatType, false)),
            field("heatmap_uri", StringType),
            field("pixel_counts", PIXEL_COUNTS)));

    /**
     * One inspected image or video frame: what inference produced, or why the input failed. {@code from_video} (a frame
     * this job decoded from a video file) and {@code tiled} (a row of a tiled photo, which the merge stage puts together
     * with the photo's other rows) stay internal; the other source columns go to every table.
     */
    public static final StructType INSPECTION = createStructType(List.of(
            field("source_uri", StringType),
            field("video_id", StringType),
            field("frame_number", LongType),
            field("frame_time_ms", LongType),
            field("metadata", createMapType(StringType, StringType, false)),
            field("from_video", BooleanType),
            field("tiled", BooleanType),
            field("image_width", IntegerType),
            field("image_height", IntegerType),
            field("regions", createArrayType(REGION, false)),
            field("anomalies", createArrayType(ANOMALY, false)),
            field("tracks", createArrayType(TRACK_PART, false)),
            field("error_stage", StringType),
            field("error_class", StringType),
            field("error_message", StringType)));

    public static final StructType MODEL = createStructType(List.of(
            field("kind", StringType),
            field("name", StringType),
            field("version", StringType),
            field("sha256", StringType),
            field("uri", StringType)));

    public static final StructType RUN = createStructType(List.of(
            field("run_id", StringType),
            field("started_at", TimestampType),
            field("finished_at", TimestampType),
            field("inputs_listed", LongType),
            field("inputs_skipped", LongType),
            field("inputs_unsupported", LongType),
            field("images_processed", LongType),
            field("videos_processed", LongType),
            field("frames_processed", LongType),
            field("inputs_failed", LongType),
            field("regions_written", LongType),
            field("anomalous_images", LongType),
            field("models", createArrayType(MODEL, false)),
            field("sampling", StringType),
            field("tiling", StringType),
            field("tracking", StringType),
            field("evaluation", StringType),
            field("status", StringType),
            field("message", StringType),
            field("config", createMapType(StringType, StringType, false)),
            field("regions_per_concept", createMapType(StringType, LongType, false)),
            field("phase_seconds", createMapType(StringType, DoubleType, false)),
            field(RUN_DATE, DateType)));

    /**
     * The ledger of inputs that successful runs inspected: a file as its run listed it, and the models it went through
     * ({@code Ledger.modelsKey}). {@code --incremental} skips what it holds.
     */
    public static final StructType PROCESSED_INPUT = createStructType(List.of(
            field("source_uri", StringType),
            field("size", LongType),
            field("modified_at", TimestampType),
            field("models", StringType),
            field("run_id", StringType),
            field("run_date", DateType)));

    public static final Table REGIONS =
            table("regions", inspectionFields("image_width", "image_height"), List.of(REGION.fields()));

    public static final Table IMAGE_SCORES = table(
            "image_scores",
            List.of(),
            fields(
                    ANOMALY,
                    "model_name",
                    "model_version",
                    "model_sha256",
                    "score",
                    "raw_score",
                    "threshold",
                    "is_anomalous",
                    "concept_name"));

    public static final Table HEATMAP_SUMMARIES = table(
            "heatmap_summaries",
            inspectionFields("image_width", "image_height"),
            fields(
                    ANOMALY,
                    "model_name",
                    "model_version",
                    "model_sha256",
                    "max",
                    "mean",
                    "std",
                    "p95",
                    "p99",
                    "anomalous_area_fraction",
                    "blob_count",
                    "blobs",
                    "grid_width",
                    "grid_height",
                    "grid",
                    "heatmap_uri"));

    public static final Table TRACKS =
            table("tracks", inspectionFields("image_width", "image_height"), List.of(TRACK.fields()));

    public static final Table ERRORS = table(
            "errors",
            List.of(),
            List.of(field("stage", StringType), field("error_class", StringType), field("message", StringType)));

    public static final Table RUNS = new Table("runs", RUN);

    public static final Table PROCESSED_INPUTS = new Table("processed_inputs", PROCESSED_INPUT);

    /** The source columns, then {@code more} and {@code rest}, then the run date. */
    private static Table table(String name, List<StructField> more, List<StructField> rest) {
        List<StructField> all = new java.util.ArrayList<>();
        all.add(field("run_id", StringType));
        all.addAll(inspectionFields("source_uri", "video_id", "frame_number", "frame_time_ms", "metadata"));
        all.addAll(more);
        all.addAll(rest);
        all.add(field(RUN_DATE, DateType));
        return new Table(name, createStructType(all));
    }

    /** A struct of the fields of {@code first}, then those of {@code then}. */
    private static StructType struct(List<StructField> first, List<StructField> then) {
        List<StructField> all = new java.util.ArrayList<>(first);
        all.addAll(then);
        return createStructType(all);
    }

    private static List<StructField> inspectionFields(String... names) {
        return fields(INSPECTION, names);
    }

    private static List<StructField> fields(StructType type, String... names) {
        return java.util.Arrays.stream(names)
                .map(n -> type.fields()[type.fieldIndex(n)])
                .toList();
    }

    /** An array column's value in a {@link org.apache.spark.sql.Row}: Spark's encoders take Scala sequences. */
    public static scala.collection.immutable.Seq<Object> array(List<?> values) {
        return scala.jdk.javaapi.CollectionConverters.asScala(new java.util.ArrayList<Object>(values))
                .toList();
    }

    /** A nullable field, as every column of the output tables is. */
    public static StructField field(String name, org.apache.spark.sql.types.DataType type) {
        return createStructField(name, type, true);
    }

    /** The row of {@link #PIXEL_COUNTS} holding {@code counts} (arrays as the Scala sequences Spark's rows take). */
    public static Row pixelCountsRow(PixelCounts counts) {
        return RowFactory.create(
                array(Arrays.stream(counts.normalBins()).boxed().toList()),
                array(Arrays.stream(counts.normalPixels()).boxed().toList()),
                array(Arrays.stream(counts.anomalousBins()).boxed().toList()),
                array(Arrays.stream(counts.anomalousPixels()).boxed().toList()),
                array(Arrays.stream(counts.regionBins()).boxed().toList()),
                array(Arrays.stream(counts.regionShares()).boxed().toList()),
                counts.regions(),
                counts.images());
    }
}

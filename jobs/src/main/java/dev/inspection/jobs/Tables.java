package dev.inspection.jobs;

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

import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The schemas of the output tables, and of the per-input inspection rows they are derived from. Plain Parquet types
 * (string, int, bigint, double, date, timestamp in microseconds) that Spark SQL, Trino and DuckDB all read as is.
 */
final class Tables {

  static final String REGIONS = "regions";
  static final String IMAGE_SCORES = "image_scores";
  static final String HEATMAP_SUMMARIES = "heatmap_summaries";
  static final String HEATMAPS = "heatmaps";
  static final String ERRORS = "errors";
  static final String RUNS = "runs";
  static final String PROCESSED_INPUTS = "processed_inputs";

  private Tables() {}

  /** One detected region, nested in an inspection row; flattened into the regions table. */
  static final StructType REGION =
      createStructType(
          List.of(
              field("model_name", StringType),
              field("model_version", StringType),
              field("model_sha256", StringType),
              field("region_id", StringType),
              field("concept_id", IntegerType),
              field("concept_name", StringType),
              field("score", DoubleType),
              field("top_row", DoubleType),
              field("left_col", DoubleType),
              field("bottom_row", DoubleType),
              field("right_col", DoubleType),
              field("x_min", DoubleType),
              field("y_min", DoubleType),
              field("x_max", DoubleType),
              field("y_max", DoubleType)));

  /** One connected region of a thresholded heatmap. */
  static final StructType BLOB =
      createStructType(
          List.of(
              field("top_row", DoubleType),
              field("left_col", DoubleType),
              field("bottom_row", DoubleType),
              field("right_col", DoubleType),
              field("peak", DoubleType),
              field("mean", DoubleType),
              field("area_fraction", DoubleType)));

  /** One anomaly model's verdict on an image, nested in an inspection row; split into image_scores and heatmaps. */
  static final StructType ANOMALY =
      createStructType(
          List.of(
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
              field("heatmap_uri", StringType)));

  /**
   * One inspected image or video frame: what inference produced, or why the input failed. {@code from_video} (a frame
   * this job decoded from a video file) stays internal; the other source columns go to every table.
   */
  static final StructType INSPECTION =
      createStructType(
          List.of(
              field("source_uri", StringType),
              field("video_id", StringType),
              field("frame_number", LongType),
              field("frame_time_ms", LongType),
              field("metadata", createMapType(StringType, StringType, false)),
              field("from_video", BooleanType),
              field("image_width", IntegerType),
              field("image_height", IntegerType),
              field("regions", createArrayType(REGION, false)),
              field("anomalies", createArrayType(ANOMALY, false)),
              field("error_stage", StringType),
              field("error_class", StringType),
              field("error_message", StringType)));

  static final StructType MODEL =
      createStructType(
          List.of(
              field("kind", StringType),
              field("name", StringType),
              field("version", StringType),
              field("sha256", StringType),
              field("uri", StringType)));

  static final StructType RUN =
      createStructType(
          List.of(
              field("run_id", StringType),
              field("started_at", TimestampType),
              field("finished_at", TimestampType),
              field("inputs_listed", LongType),
              field("inputs_skipped", LongType),
              field("images_processed", LongType),
              field("videos_processed", LongType),
              field("frames_processed", LongType),
              field("inputs_failed", LongType),
              field("regions_written", LongType),
              field("anomalous_images", LongType),
              field("models", createArrayType(MODEL, false)),
              field("sampling", StringType),
              field("status", StringType),
              field("message", StringType),
              field("config", createMapType(StringType, StringType, false)),
              field("run_date", DateType)));

  /**
   * The ledger of inputs that successful runs inspected: a file as its run listed it, and the models it went through
   * ({@link Ledger#modelsKey}). {@code --incremental} skips what it holds.
   */
  static final StructType PROCESSED_INPUT =
      createStructType(
          List.of(
              field("source_uri", StringType),
              field("size", LongType),
              field("modified_at", TimestampType),
              field("models", StringType),
              field("run_id", StringType),
              field("run_date", DateType)));

  /** An array column's value in a {@link org.apache.spark.sql.Row}: Spark's encoders take Scala sequences. */
  static scala.collection.immutable.Seq<Object> array(List<?> values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(new java.util.ArrayList<Object>(values)).toList();
  }

  private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
    return createStructField(name, type, true);
  }
}

package dev.inspection.jobs.evaluate.labels;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The labels of an evaluation, as read from {@code --labels}: the true boxes (for detectors) or the images' verdicts
 * (for anomaly models), the images the labels name, and the labels that could not be used.
 *
 * <p>Images and labels meet by key ({@link #imageKey}): an inspected image's {@code source_uri} relative to
 * {@link #imagesRoot} without its extension, as a label file's path relative to its labels folder without {@code .txt}.
 *
 * @param format what {@code --labels} pointed at
 * @param imagesRoot the qualified folder the image keys are relative to ({@code fs.makeQualified(path).toString()});
 *     null where labels name images by full URI, which are then the keys
 * @param boxes {@link #BOXES}: empty for anomaly labels
 * @param verdicts {@link #VERDICTS}: empty for detection labels
 * @param labeledImages {@link #LABELED_IMAGES}: each image the labels name, with the label file that names it, to
 *     find labels that name an image that is not there
 * @param errors {@link #ERRORS}: one row per label that could not be used
 */
public record LabelSet(
        Format format,
        String imagesRoot,
        Dataset<Row> boxes,
        Dataset<Row> verdicts,
        Dataset<Row> labeledImages,
        Dataset<Row> errors) {

    /** What the labels are for. */
    public enum Purpose {
        /** True boxes, for detectors. */
        DETECTION,
        /** Normal or anomalous images, with masks, for anomaly models. */
        ANOMALY
    }

    /** The layouts {@code --labels} may point at. */
    public enum Format {
        ULTRALYTICS_DATASET("an Ultralytics dataset folder (images/ beside labels/)", Purpose.DETECTION),
        YOLO_TXT("a folder of YOLO .txt labels", Purpose.DETECTION),
        COCO_JSON("a COCO instances .json file", Purpose.DETECTION),
        BOX_CSV("a .csv of boxes (file,class,x_min,y_min,x_max,y_max)", Purpose.DETECTION),
        MVTEC_AD("an MVTec AD category folder (test/, ground_truth/)", Purpose.ANOMALY),
        VERDICT_CSV("a .csv of verdicts (uri,label[,mask_uri])", Purpose.ANOMALY);

        private final String description;
        private final Purpose purpose;

        Format(String description, Purpose purpose) {
            this.description = description;
            this.purpose = purpose;
        }

        public String description() {
            return description;
        }

        public Purpose purpose() {
            return purpose;
        }
    }

    /** A line, row or annotation that cannot be read: wrong fields, not a number, out of range, unknown image. */
    public static final String MALFORMED = "MalformedLabel";
    /** A class index or name that is not one of the model's classes. */
    public static final String UNKNOWN_CLASS = "UnknownClass";
    /** A verdict that is neither {@code normal} nor {@code anomalous}. */
    public static final String BAD_VALUE = "BadLabelValue";
    /** A ground-truth mask that does not exist. */
    public static final String MISSING_MASK = "MissingMask";
    /** A label file that cannot be read. */
    public static final String UNREADABLE = "UnreadableLabel";

    public static final StructType BOXES = schema(
            DataTypes.createStructField("image_key", StringType, false),
            DataTypes.createStructField("concept_name", StringType, false),
            DataTypes.createStructField("top_row", DoubleType, false),
            DataTypes.createStructField("left_col", DoubleType, false),
            DataTypes.createStructField("bottom_row", DoubleType, false),
            DataTypes.createStructField("right_col", DoubleType, false),
            DataTypes.createStructField("normalized", BooleanType, false),
            DataTypes.createStructField("iscrowd", BooleanType, false));

    public static final StructType VERDICTS = schema(
            DataTypes.createStructField("image_key", StringType, false),
            DataTypes.createStructField("anomalous", BooleanType, false),
            DataTypes.createStructField("mask_uri", StringType, true));

    public static final StructType LABELED_IMAGES = schema(
            DataTypes.createStructField("image_key", StringType, false),
            DataTypes.createStructField("label_uri", StringType, false));

    public static final StructType ERRORS = schema(
            DataTypes.createStructField("source_uri", StringType, false),
            DataTypes.createStructField("error_class", StringType, false),
            DataTypes.createStructField("message", StringType, false));

    public Purpose purpose() {
        return format.purpose();
    }

    /**
     * The set made of what the readers found. The records are persisted, so that the label files are read once for
     * the four tables; Spark's context cleaner drops them when the set is no longer referenced.
     */
    static LabelSet of(SparkSession spark, Format format, String imagesRoot, JavaRDD<LabelRecord> records) {
        JavaRDD<LabelRecord> read = records.persist(StorageLevel.MEMORY_AND_DISK());
        return new LabelSet(
                format,
                imagesRoot,
                table(spark, read, LabelRecord.Box.class, BOXES),
                table(spark, read, LabelRecord.Verdict.class, VERDICTS),
                table(spark, read, LabelRecord.Labeled.class, LABELED_IMAGES),
                table(spark, read, LabelRecord.Problem.class, ERRORS));
    }

    private static Dataset<Row> table(
            SparkSession spark, JavaRDD<LabelRecord> records, Class<? extends LabelRecord> kind, StructType schema) {
        return spark.createDataFrame(records.filter(kind::isInstance).map(LabelRecord::row), schema);
    }

    private static StructType schema(StructField... fields) {
        return DataTypes.createStructType(List.of(fields));
    }
}

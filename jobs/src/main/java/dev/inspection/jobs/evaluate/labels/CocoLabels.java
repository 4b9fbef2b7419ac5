package dev.inspection.jobs.evaluate.labels;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.size;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Box;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Labeled;
import dev.inspection.jobs.evaluate.labels.LabelRecord.Problem;
import dev.inspection.jobs.inspect.ImageKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * COCO instances JSON ({@code instances_val2017.json}): {@code images} (id, file_name, width, height),
 * {@code annotations} (id, image_id, category_id, bbox {@code [x, y, w, h]} in pixels, iscrowd) and {@code categories}
 * (id, name). Boxes are normalized with their image's width and height; a category is one of the model's classes by its
 * name.
 *
 * <p>Spark's JSON reader parses the file in a task, not on the driver (a train set's file is hundreds of MB), and every
 * field is read as text so that one bad value gives one annotation's error instead of making the whole file unreadable;
 * the annotations are then joined to their images on the executors. Only the categories, a few dozen, come to the
 * driver.
 */
final class CocoLabels {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORRUPT = "_corrupt_record";

    private CocoLabels() {}

    static JavaRDD<LabelRecord> read(SparkSession spark, String json, List<String> classNames) {
        StructType image = text("id", "file_name", "width", "height");
        StructType annotation = text("id", "image_id", "category_id", "bbox", "iscrowd");
        StructType category = text("id", "name");
        StructType schema = new StructType()
                .add("images", DataTypes.createArrayType(image))
                .add("annotations", DataTypes.createArrayType(annotation))
                .add("categories", DataTypes.createArrayType(category))
                .add(CORRUPT, DataTypes.StringType);
        Dataset<Row> file = spark.read()
                .schema(schema)
                .option("multiLine", true)
                .option("columnNameOfCorruptRecord", CORRUPT)
                .json(json);
        Row shape = file.select(size(col("images")), size(col("categories")), col(CORRUPT))
                .first();
        if (!shape.isNullAt(2) || shape.getInt(0) < 0 || shape.getInt(1) < 0) {
            throw new IllegalArgumentException("--labels " + json + " is not COCO instances JSON: expected an object"
                    + " with 'images' (id, file_name, width, height), 'annotations' (image_id, category_id, bbox,"
                    + " iscrowd) and 'categories' (id, name)");
        }
        Map<String, String> categories = new HashMap<>();
        for (Row c : file.select(explode(col("categories")).as("c"))
                .select("c.id", "c.name")
                .collectAsList()) {
            categories.put(c.getString(0), c.getString(1));
        }
        Dataset<Row> images = file.select(explode(col("images")).as("i"))
                .select(col("i.id").as("id"), col("i.file_name"), col("i.width"), col("i.height"));
        Dataset<Row> annotations = file.select(explode(col("annotations")).as("a"))
                .select(
                        col("a.id").as("annotation_id"),
                        col("a.image_id"),
                        col("a.category_id"),
                        col("a.bbox"),
                        col("a.iscrowd"));
        JavaRDD<LabelRecord> labeled = images.javaRDD()
                .map(i -> i.isNullAt(1)
                        ? Problem.malformed(json, "image id " + i.getString(0) + " has no file_name")
                        : new Labeled(ImageKeys.withoutExtension(i.getString(1)), json));
        JavaRDD<LabelRecord> boxes = annotations
                .join(images, annotations.col("image_id").equalTo(images.col("id")), "left")
                .select(
                        col("annotation_id"),
                        col("image_id"),
                        col("category_id"),
                        col("bbox"),
                        col("iscrowd"),
                        col("file_name"),
                        col("width"),
                        col("height"),
                        images.col("id").isNotNull().as("image_found"))
                .javaRDD()
                .map(a -> box(json, a, categories, classNames));
        return labeled.union(boxes);
    }

    private static LabelRecord box(String json, Row a, Map<String, String> categories, List<String> classNames) {
        String where = json + " annotation id " + a.getString(0) + " (image_id " + a.getString(1) + "): ";
        if (!a.getBoolean(8)) {
            return Problem.malformed(json, where + "no image has id " + a.getString(1));
        }
        if (a.isNullAt(5)) {
            return Problem.malformed(json, where + "its image has no file_name");
        }
        String concept = categories.get(a.getString(2));
        if (concept == null) {
            return Problem.malformed(json, where + "no category has id " + a.getString(2));
        }
        if (!classNames.contains(concept)) {
            return new Problem(
                    json,
                    LabelSet.UNKNOWN_CLASS,
                    where + "category '" + concept + "' " + CsvLabels.notAClass(classNames));
        }
        try {
            double width = positive("the image's width", a.getString(6));
            double height = positive("the image's height", a.getString(7));
            double[] bbox = bbox(a.getString(3));
            boolean crowd = a.getString(4) != null && YoloLabels.number(a.getString(4)) != 0;
            String key = ImageKeys.withoutExtension(a.getString(5));
            return new Box(
                    key,
                    concept,
                    bbox[1] / height,
                    bbox[0] / width,
                    (bbox[1] + bbox[3]) / height,
                    (bbox[0] + bbox[2]) / width,
                    true,
                    crowd);
        } catch (IllegalArgumentException e) {
            return Problem.malformed(json, where + e.getMessage());
        }
    }

    /** A bbox {@code [x, y, w, h]}: four numbers, the width and height not negative. */
    private static double[] bbox(String text) {
        String expected = "bbox must be [x, y, width, height] in pixels, got " + text;
        JsonNode node;
        try {
            node = text == null ? null : JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(expected, e);
        }
        if (node == null || !node.isArray() || node.size() != 4) {
            throw new IllegalArgumentException(expected);
        }
        double[] bbox = new double[4];
        for (int k = 0; k < 4; k++) {
            if (!node.get(k).isNumber()) {
                throw new IllegalArgumentException(expected);
            }
            bbox[k] = node.get(k).asDouble();
        }
        if (bbox[2] < 0 || bbox[3] < 0) {
            throw new IllegalArgumentException(expected + ": the width and height must not be negative");
        }
        return bbox;
    }

    private static double positive(String what, String text) {
        double value = YoloLabels.number(text == null ? "missing" : text);
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + text);
        }
        return value;
    }

    private static StructType text(String... fields) {
        StructType struct = new StructType();
        for (String field : fields) {
            struct = struct.add(field, DataTypes.StringType);
        }
        return struct;
    }
}

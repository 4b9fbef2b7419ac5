package dev.inspection.jobs.evaluate.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inspection.jobs.EmbeddedS3;
import dev.inspection.jobs.evaluate.labels.LabelSet.Format;
import dev.inspection.jobs.evaluate.labels.LabelSet.Purpose;
import dev.inspection.jobs.inspect.ImageKeys;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.model.WellKnownClasses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
@Tag("s3")
class LabelsTest {

    private static final List<String> PARTS = List.of("chip", "capacitor", "resistor");

    /** The 80 COCO classes, in the order of Ultralytics' COCO models. */
    private static final List<String> COCO = WellKnownClasses.COCO80;

    private static EmbeddedS3 s3;
    private static SparkSession spark;
    private static Broadcast<HadoopConf> hadoop;

    @BeforeAll
    static void start() throws Exception {
        s3 = EmbeddedS3.start();
        spark = s3.localSpark("LabelsTest");
        hadoop = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    }

    @AfterAll
    static void stop() {
        spark.stop();
        s3.close();
    }

    @Test
    void anUltralyticsDatasetWithSplitFoldersPairsLabelsAndImagesByRelativePath(@TempDir Path dir) throws Exception {
        touch(dir, "images/val2017/board-1.jpg", "images/val2017/board-2.png", "images/train2017/board-3.jpg");
        write(dir, "labels/val2017/board-1.txt", "0 0.5 0.25 0.5 0.25\n2 0.25 0.75 0.25 0.5\n");
        write(dir, "labels/train2017/board-3.txt", "\n1 0.5 0.5 1 1\n\n");
        write(dir, "labels/val2017.cache", "what Ultralytics caches");

        LabelSet labels = Labels.read(spark, dir.toString(), null, PARTS, hadoop);

        assertThat(labels.format()).isEqualTo(Format.ULTRALYTICS_DATASET);
        assertThat(labels.purpose()).isEqualTo(Purpose.DETECTION);
        assertThat(labels.imagesRoot()).isEqualTo("file:" + dir.resolve("images"));
        assertThat(rows(labels.boxes()))
                .as("the boxes, normalized, top left bottom right")
                .containsExactlyInAnyOrder(
                        "val2017/board-1|chip|0.125|0.25|0.375|0.75|true|false",
                        "val2017/board-1|resistor|0.5|0.125|1.0|0.375|true|false",
                        "train2017/board-3|capacitor|0.0|0.0|1.0|1.0|true|false");
        assertThat(rows(labels.labeledImages()))
                .as("the images the label files name (board-2 has none: no objects)")
                .containsExactlyInAnyOrder(
                        "val2017/board-1|file:" + dir.resolve("labels/val2017/board-1.txt"),
                        "train2017/board-3|file:" + dir.resolve("labels/train2017/board-3.txt"));
        assertThat(rows(labels.errors())).isEmpty();
        assertThat(rows(labels.verdicts())).isEmpty();
        assertThat(ImageKeys.key(labels.imagesRoot(), "file:" + dir.resolve("images/val2017/board-1.jpg")))
                .as("an inspected image's key meets its label's")
                .isEqualTo("val2017/board-1");
    }

    @Test
    void eachBadYoloLineGivesOneErrorAndTheFilesGoodLinesAreKept(@TempDir Path dir) throws Exception {
        touch(dir, "images/a.jpg");
        String label = String.join(
                "\n",
                "0 0.5 0.5 0.5 0.5",
                "0 0.5 0.5 0.5 0.5",
                "1 0.5 0.5 0.5 0.5 0.93",
                "1 0.5 0.5 0.5",
                "chip 0.5 0.5 0.5 0.5",
                "1 0.5 0.5 1.2 0.5",
                "7 0.5 0.5 0.5 0.5",
                "2 0.1 0.2 0.3 0.2 0.2 0.6");
        write(dir, "labels/a.txt", label);
        String uri = "file:" + dir.resolve("labels/a.txt");

        LabelSet labels = Labels.read(spark, dir.toString(), null, PARTS, hadoop);

        assertThat(rows(labels.boxes()))
                .as("the good box once (its duplicate dropped, as Ultralytics does) and the polygon's bounds")
                .containsExactlyInAnyOrder(
                        "a|chip|0.25|0.25|0.75|0.75|true|false", "a|resistor|0.2|0.1|0.6|0.3|true|false");
        assertThat(rows(labels.errors()))
                .containsExactlyInAnyOrder(
                        uri + "|MalformedLabel|" + uri + " line 3 '1 0.5 0.5 0.5 0.5 0.93': expected 5 fields"
                                + " (class cx cy w h, normalized), got 6: a label has no confidence (Ultralytics"
                                + " refuses it too)",
                        uri + "|MalformedLabel|" + uri + " line 4 '1 0.5 0.5 0.5': expected 5 fields (class cx cy w"
                                + " h, normalized), or a class and three or more x y points of a polygon, got 4"
                                + " fields",
                        uri + "|MalformedLabel|" + uri + " line 5 'chip 0.5 0.5 0.5 0.5': 'chip' is not a number",
                        uri + "|MalformedLabel|" + uri + " line 6 '1 0.5 0.5 1.2 0.5': coordinate 1.2 is outside"
                                + " [0, 1]: coordinates are fractions of the image's width and height",
                        uri + "|UnknownClass|" + uri + " line 7 '7 0.5 0.5 0.5 0.5': class 7 is not one of the"
                                + " model's 3 classes (0-2)");
    }

    @Test
    void aFolderOfTxtLabelsAloneNamesTheImagesUnderTheInput(@TempDir Path dir) throws Exception {
        touch(dir, "boards/line-1/a.jpg");
        write(dir, "labels/line-1/a.txt", "1 0.5 0.5 0.5 0.5");
        write(dir, "labels/notes.md", "not a label");

        LabelSet labels = Labels.read(
                spark, dir.resolve("labels").toString(), dir.resolve("boards").toString(), PARTS, hadoop);

        assertThat(labels.format()).isEqualTo(Format.YOLO_TXT);
        assertThat(labels.imagesRoot()).isEqualTo("file:" + dir.resolve("boards"));
        assertThat(rows(labels.boxes())).containsExactly("line-1/a|capacitor|0.25|0.25|0.75|0.75|true|false");
        assertThatThrownBy(() -> Labels.read(spark, dir.resolve("labels").toString(), null, PARTS, hadoop))
                .as("without --input")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give it as --input");
    }

    @Test
    void cocoJsonBoxesAreNormalizedWithTheirImagesSizeAndKeepTheirCrowdFlag(@TempDir Path dir) throws Exception {
        write(dir, "annotations/instances_val.json", """
                {"info": {"year": 2017},
                 "images": [{"id": 1, "file_name": "a.jpg", "width": 200, "height": 100},
                            {"id": 2, "file_name": "sub/b.png", "width": 50, "height": 50}],
                 "annotations": [
                   {"id": 10, "image_id": 1, "category_id": 3, "bbox": [20, 10, 100, 50], "iscrowd": 0, "area": 5000},
                   {"id": 11, "image_id": 2, "category_id": 1, "bbox": [0, 0, 25, 50], "iscrowd": 1},
                   {"id": 12, "image_id": 2, "category_id": 9, "bbox": [0, 0, 25, 50], "iscrowd": 0},
                   {"id": 13, "image_id": 7, "category_id": 1, "bbox": [0, 0, 25, 50], "iscrowd": 0},
                   {"id": 14, "image_id": 1, "category_id": 1, "bbox": [0, 0, 25], "iscrowd": 0},
                   {"id": 15, "image_id": 1, "category_id": 2, "bbox": [0, 0, 25, 5], "iscrowd": 0}],
                 "categories": [{"id": 1, "name": "chip"}, {"id": 3, "name": "resistor"}, {"id": 2, "name": "fuse"}]}
                """);
        String json = "file:" + dir.resolve("annotations/instances_val.json");

        LabelSet labels = Labels.read(spark, json, dir.resolve("images").toString(), PARTS, hadoop);

        assertThat(labels.format()).isEqualTo(Format.COCO_JSON);
        assertThat(labels.imagesRoot()).isEqualTo("file:" + dir.resolve("images"));
        assertThat(rows(labels.boxes()))
                .containsExactlyInAnyOrder(
                        "a|resistor|0.1|0.1|0.6|0.6|true|false", "sub/b|chip|0.0|0.0|1.0|0.5|true|true");
        assertThat(rows(labels.labeledImages())).containsExactlyInAnyOrder("a|" + json, "sub/b|" + json);
        assertThat(rows(labels.errors()))
                .containsExactlyInAnyOrder(
                        json + "|MalformedLabel|" + json + " annotation id 12 (image_id 2): no category has id 9",
                        json + "|MalformedLabel|" + json + " annotation id 13 (image_id 7): no image has id 7",
                        json + "|MalformedLabel|" + json + " annotation id 14 (image_id 1): bbox must be [x, y,"
                                + " width, height] in pixels, got [0, 0, 25]",
                        json + "|UnknownClass|" + json + " annotation id 15 (image_id 1): category 'fuse' is not one"
                                + " of the model's 3 classes (chip, capacitor, resistor)");
    }

    @Test
    void aCsvOfPixelBoxesGivesThemToBeNormalizedWithEachImagesSize(@TempDir Path dir) throws Exception {
        write(dir, "labels.csv", """
                file,class,x_min,y_min,x_max,y_max
                board-001.jpg,chip,145,129,189,158
                board-001.jpg,resistor,366,152,384,191
                board-002.jpg,fuse,1,2,3,4
                board-002.jpg,chip,1,2,x,4
                board-003.jpg,chip,10,2,3,4
                """);
        String csv = "file:" + dir.resolve("labels.csv");

        LabelSet labels = Labels.read(spark, csv, dir.resolve("images").toString(), PARTS, hadoop);

        assertThat(labels.format()).isEqualTo(Format.BOX_CSV);
        assertThat(rows(labels.boxes()))
                .as("pixels: top_row y_min, left_col x_min, bottom_row y_max, right_col x_max")
                .containsExactlyInAnyOrder(
                        "board-001|chip|129.0|145.0|158.0|189.0|false|false",
                        "board-001|resistor|152.0|366.0|191.0|384.0|false|false");
        assertThat(rows(labels.errors()))
                .containsExactlyInAnyOrder(
                        csv + "|UnknownClass|" + csv + " line 4: class 'fuse' is not one of the model's 3 classes"
                                + " (chip, capacitor, resistor)",
                        csv + "|MalformedLabel|" + csv + " line 5: 'x' is not a number (x_min, y_min, x_max, y_max"
                                + " in pixels)",
                        csv + "|MalformedLabel|" + csv + " line 6: x_max and y_max must not be less than x_min and"
                                + " y_min, got [10.0, 2.0, 3.0, 4.0] (x_min, y_min, x_max, y_max in pixels)");
        assertThat(rows(labels.labeledImages()).stream().distinct())
                .containsExactlyInAnyOrder("board-001|" + csv, "board-002|" + csv, "board-003|" + csv);
    }

    @Test
    void anMvtecCategoryGivesGoodImagesNormalAndTheOthersAnomalousWithTheirMasks(@TempDir Path dir) throws Exception {
        touch(
                dir,
                "train/good/000.png",
                "test/good/000.png",
                "test/scratch/000.png",
                "test/scratch/001.png",
                "test/hole/000.png",
                "ground_truth/scratch/000_mask.png",
                "license.txt");
        String gt = "file:" + dir.resolve("ground_truth");

        LabelSet labels = Labels.read(spark, dir.toString(), null, null, hadoop);

        assertThat(labels.format()).isEqualTo(Format.MVTEC_AD);
        assertThat(labels.purpose()).isEqualTo(Purpose.ANOMALY);
        assertThat(labels.imagesRoot()).isEqualTo("file:" + dir.resolve("test"));
        assertThat(rows(labels.verdicts()))
                .containsExactlyInAnyOrder(
                        "good/000|false|null",
                        "scratch/000|true|" + gt + "/scratch/000_mask.png",
                        "scratch/001|true|null",
                        "hole/000|true|null");
        assertThat(rows(labels.errors()))
                .as("a kind with masks, one missing; a kind without a ground_truth folder has none to miss")
                .containsExactly("file:" + dir.resolve("test/scratch/001.png") + "|MissingMask|the anomalous image "
                        + "file:" + dir.resolve("test/scratch/001.png") + " has no mask: expected " + gt
                        + "/scratch/001_mask.png");
        assertThat(rows(labels.boxes())).isEmpty();
    }

    @Test
    void aCsvOfVerdictsNamesImagesByUriWithOptionalMasks(@TempDir Path dir) throws Exception {
        touch(dir, "masks/b.png");
        write(dir, "verdicts.csv", """
                \uFEFFuri, Label ,mask_uri
                boards/a.jpg,normal,
                boards/b.jpg,anomalous,masks/b.png
                s3a://label-sets/boards/c.jpg,Anomalous,
                boards/d.jpg,broken,
                boards/e.jpg,anomalous,masks/e.png
                """);
        String csv = "file:" + dir.resolve("verdicts.csv");

        LabelSet labels = Labels.read(spark, csv, null, null, hadoop);

        assertThat(labels.format()).isEqualTo(Format.VERDICT_CSV);
        assertThat(labels.imagesRoot()).isNull();
        String boards = "file:" + dir.resolve("boards");
        assertThat(rows(labels.verdicts()))
                .containsExactlyInAnyOrder(
                        boards + "/a.jpg|false|null",
                        boards + "/b.jpg|true|file:" + dir.resolve("masks/b.png"),
                        "s3a://label-sets/boards/c.jpg|true|null",
                        boards + "/e.jpg|true|null");
        assertThat(rows(labels.errors()))
                .containsExactlyInAnyOrder(
                        csv + "|BadLabelValue|" + csv + " line 5: label must be 'normal' or 'anomalous', got"
                                + " 'broken'",
                        csv + "|MissingMask|" + csv + " line 6: mask_uri file:" + dir.resolve("masks/e.png")
                                + " does not exist");
        assertThat(ImageKeys.key(labels.imagesRoot(), boards + "/a.jpg"))
                .as("with no images root, an image's key is its URI")
                .isEqualTo(boards + "/a.jpg");
    }

    @Test
    void labelsOfNoKnownLayoutStopTheRunNamingWhatWasExpected(@TempDir Path dir) throws Exception {
        touch(dir, "pictures/a.jpg");
        write(dir, "labels.xml", "<labels/>");
        write(dir, "other.csv", "name,value\na,1\n");
        write(dir, "other.json", "[1, 2, 3]");
        assertThatThrownBy(() -> Labels.read(spark, dir.resolve("pictures").toString(), null, PARTS, hadoop))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is of no layout read here; expected an Ultralytics dataset folder");
        assertThatThrownBy(() -> Labels.read(spark, dir.resolve("labels.xml").toString(), null, PARTS, hadoop))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a COCO instances .json file");
        assertThatThrownBy(() -> Labels.read(spark, dir.resolve("other.csv").toString(), null, PARTS, hadoop))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has the columns [name, value]; expected boxes");
        assertThatThrownBy(() -> Labels.read(spark, dir.resolve("other.json").toString(), "x", PARTS, hadoop))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not COCO instances JSON");
        assertThatThrownBy(() -> Labels.read(spark, dir.resolve("nope").toString(), null, PARTS, hadoop))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void anImagesKeyIsItsPathUnderTheRootWithoutItsExtension() {
        assertThat(ImageKeys.key("file:/data/ds/images", "file:/data/ds/images/val2017/000000000009.jpg"))
                .isEqualTo("val2017/000000000009");
        assertThat(ImageKeys.key("s3a://label-sets/ds/images", "s3a://label-sets/ds/images/v1.2/board #7 (100%).JPG"))
                .isEqualTo("v1.2/board #7 (100%)");
        assertThat(ImageKeys.key("s3a://label-sets/", "s3a://label-sets/a.b.png"))
                .isEqualTo("a.b");
        assertThat(ImageKeys.key("s3a://label-sets/ds/images", "s3a://label-sets/ds/images/README"))
                .isEqualTo("README");
        assertThat(ImageKeys.key("s3a://label-sets/ds/images", "s3a://label-sets/ds/images2/a.jpg"))
                .as("not under the root")
                .isNull();
        assertThat(ImageKeys.key(null, "s3a://label-sets/boards/a.jpg")).isEqualTo("s3a://label-sets/boards/a.jpg");
    }

    @Test
    void anUltralyticsDatasetInABucketIsReadThroughS3a() throws Exception {
        // a bucket of its own: S3A caches a filesystem per bucket, and other tests use "plant" on their own server
        s3.createBucket("label-sets");
        s3.put("label-sets", "ds/images/val/board-1.jpg", new byte[] {1});
        s3.put("label-sets", "ds/labels/val/board-1.txt", "2 0.5 0.5 0.5 0.5\n".getBytes(StandardCharsets.UTF_8));
        s3.put("label-sets", "ds/labels/val/board-2.txt", "9 0.5 0.5 0.5 0.5\n".getBytes(StandardCharsets.UTF_8));

        LabelSet labels = Labels.read(spark, "s3a://label-sets/ds/", null, PARTS, hadoop);

        assertThat(labels.imagesRoot()).isEqualTo("s3a://label-sets/ds/images");
        assertThat(rows(labels.boxes())).containsExactly("val/board-1|resistor|0.25|0.25|0.75|0.75|true|false");
        assertThat(rows(labels.labeledImages()))
                .containsExactlyInAnyOrder(
                        "val/board-1|s3a://label-sets/ds/labels/val/board-1.txt",
                        "val/board-2|s3a://label-sets/ds/labels/val/board-2.txt");
        assertThat(rows(labels.errors()))
                .containsExactly(
                        "s3a://label-sets/ds/labels/val/board-2.txt|UnknownClass|s3a://label-sets/ds/labels/val/"
                                + "board-2.txt line 1 '9 0.5 0.5 0.5 0.5': class 9 is not one of the model's 3 classes (0-2)");
        assertThat(ImageKeys.key(labels.imagesRoot(), "s3a://label-sets/ds/images/val/board-1.jpg"))
                .isEqualTo("val/board-1");
    }

    @Test
    void theDemoBoardsLabelsAreEveryPartOfEveryBoardInPixels() throws Exception {
        Path demo = Path.of("demo").toAbsolutePath();

        LabelSet labels = Labels.read(
                spark,
                demo.resolve("labels.csv").toString(),
                demo.resolve("images").toString(),
                PARTS,
                hadoop);

        assertThat(rows(labels.boxes().groupBy("concept_name").count()))
                .containsExactlyInAnyOrder("chip|70", "capacitor|75", "resistor|59");
        assertThat(labels.boxes().where("normalized").count())
                .as("normalized boxes")
                .isZero();
        assertThat(labels.labeledImages().select("image_key").distinct().count())
                .isEqualTo(50);
        assertThat(rows(labels.boxes().where("image_key = 'board-001'").limit(1)))
                .containsExactly("board-001|chip|129.0|145.0|158.0|189.0|false|false");
        assertThat(rows(labels.errors())).isEmpty();
    }

    /** The compat COCO8 images with their Ultralytics labels; skips where ../shared/compat is absent. */
    @Test
    void theCoco8LabelsReadAsUltralyticsReadsThem() throws Exception {
        Path coco8 = Path.of("..", "..", "shared", "compat", "coco8-train")
                .toAbsolutePath()
                .normalize();
        assumeTrue(Files.isDirectory(coco8.resolve("labels")), "../shared/compat is absent");

        LabelSet labels = Labels.read(spark, coco8.toString(), null, COCO, hadoop);

        assertThat(labels.format()).isEqualTo(Format.ULTRALYTICS_DATASET);
        assertThat(labels.boxes().count()).as("boxes").isEqualTo(13);
        assertThat(rows(labels.boxes().groupBy("concept_name").count()))
                .containsExactlyInAnyOrder(
                        "bowl|3", "orange|4", "broccoli|1", "giraffe|2", "potted plant|1", "vase|1", "zebra|1");
        assertThat(rows(labels.labeledImages().select("image_key")))
                .containsExactlyInAnyOrder("000000000009", "000000000025", "000000000030", "000000000034");
        assertThat(rows(labels.errors())).isEmpty();
    }

    private static List<String> rows(Dataset<Row> table) {
        return table.collectAsList().stream().map(r -> r.toSeq().mkString("|")).collect(Collectors.toList());
    }

    /** Writes placeholder files: labels are read without decoding the images they name. */
    private static void touch(Path dir, String... files) throws IOException {
        for (String file : files) {
            write(dir, file, "x");
        }
    }

    private static void write(Path dir, String file, String text) throws IOException {
        Path path = dir.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }
}

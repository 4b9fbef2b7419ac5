package dev.inspection.jobs.evaluate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspection.jobs.LocalSpark;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("spark")
class DetectionMetricsTest {

    static final StructType DETECTIONS = DetectionMetrics.DETECTIONS_SCHEMA;
    static final StructType LABELS = DetectionMetrics.LABELS_SCHEMA;
    static final StructType IMAGES = DetectionMetrics.IMAGES_SCHEMA;

    static SparkSession spark;
    static Map<String, Row> handMade;
    static List<Row> handMadeConfusion;
    static List<Row> handMadeCurves;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("DetectionMetricsTest", 2);
        // One class, two images; boxes (top, left, bottom, right).
        // img1: label [0,0,1,1]; chip 0.9 at [0,0,1,0.72] (IoU 0.72: matched at IoU 0.50..0.70, not at 0.75..0.95);
        //       ghost 0.6 at [5,5,6,6] (a class without labels).
        // img2: label [0,0,1,1]; chip 0.8 at [0,0,1,0.52] (IoU 0.52: matched at 0.50 only); chip 0.7 at [5,5,6,6].
        // COCO at 0.50: tp 1,2,2 fp 0,0,1 recall .5,1,1 precision 1,1,2/3 -> 1 at all 101 points: AP 1.
        //      at 0.55..0.70: recall .5,.5,.5 precision 1,.5,1/3 -> 1 at the 51 points r <= .5, 0 above: 51/101.
        //      at 0.75..0.95: no tp: 0. AP50-95 = (101 + 4 * 51) / 1010 = 305/1010.
        // Ultralytics at 0.50: mrec 0,.5,1,1,1 and envelope 1,1,1,2/3,0: 1 up to x = .99, 0 at x = 1:
        //      0.99 + 0.01 * (1 + 0) / 2 = 0.995.
        //   at 0.55..0.70: mrec 0,.5,.5,.5,1 envelope 1,1,.5,1/3,0: 1 below .5, 1/3 at .5 falling linearly to 0 at 1:
        //      0.49 + 0.01 * (1 + 1/3) / 2 + 0.5 * (1/3) / 2 = 0.58. mAP50-95 = (0.995 + 4 * 0.58) / 10 = 0.3315.
        // At the threshold 0.75: chip 0.9 and 0.8 are both tp at IoU 0.5: precision 1, recall 1.
        // Confusion (score > 0.25, IoU > 0.45): chip/chip 2, chip/background 1, ghost/background 1.
        Dataset<Row> detections = rows(
                DETECTIONS,
                RowFactory.create("m", "img1", "chip", 0.9, 0.0, 0.0, 1.0, 0.72),
                RowFactory.create("m", "img1", "ghost", 0.6, 5.0, 5.0, 6.0, 6.0),
                RowFactory.create("m", "img2", "chip", 0.8, 0.0, 0.0, 1.0, 0.52),
                RowFactory.create("m", "img2", "chip", 0.7, 5.0, 5.0, 6.0, 6.0));
        Dataset<Row> labels = rows(
                LABELS,
                RowFactory.create("img1", "chip", 0.0, 0.0, 1.0, 1.0, false),
                RowFactory.create("img2", "chip", 0.0, 0.0, 1.0, 1.0, false));
        Dataset<Row> images = rows(
                IMAGES, RowFactory.create("m", "img1"), RowFactory.create("m", "img2"), RowFactory.create("m", "img3"));
        DetectionMetrics.Result result = DetectionMetrics.compute(spark, detections, labels, images, Map.of("m", 0.75));
        handMade = new HashMap<>();
        for (Row row : result.metrics().collectAsList()) {
            handMade.put(row.getAs("concept_name"), row);
        }
        handMadeConfusion = result.confusion().orderBy("predicted", "actual").collectAsList();
        handMadeCurves = result.curves().orderBy("concept_name", "recall").collectAsList();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Dataset<Row> rows(StructType schema, Row... rows) {
        return spark.createDataFrame(List.of(rows), schema);
    }

    @Test
    void cocoApOfTheHandMadeCase() {
        Row chip = handMade.get("chip");
        assertThat((double) chip.getAs("ap50")).as("chip ap50").isCloseTo(1.0, within(1e-12));
        assertThat((double) chip.getAs("ap50_95")).as("chip ap50_95").isCloseTo(305.0 / 1010, within(1e-12));
        Row all = handMade.get(DetectionMetrics.ALL);
        assertThat((double) all.getAs("ap50_95"))
                .as("all: the class without labels left out")
                .isCloseTo(305.0 / 1010, within(1e-12));
    }

    @Test
    void ultralyticsMapOfTheHandMadeCase() {
        Row chip = handMade.get("chip");
        assertThat((double) chip.getAs("map50")).as("chip map50").isCloseTo(0.995, within(1e-12));
        assertThat((double) chip.getAs("map50_95")).as("chip map50_95").isCloseTo(0.3315, within(1e-12));
        assertThat((double) handMade.get(DetectionMetrics.ALL).getAs("map50_95"))
                .isCloseTo(0.3315, within(1e-12));
    }

    @Test
    void aClassWithoutLabelsHasNoAp() {
        Row ghost = handMade.get("ghost");
        assertThat(ghost.isNullAt(ghost.fieldIndex("ap50_95")))
                .as("ghost ap50_95 null")
                .isTrue();
        assertThat(ghost.isNullAt(ghost.fieldIndex("map50")))
                .as("ghost map50 null")
                .isTrue();
        assertThat((long) ghost.getAs("labels")).isZero();
        assertThat((long) ghost.getAs("detections")).isEqualTo(1);
        assertThat((long) ghost.getAs("fp"))
                .as("ghost scored below the threshold")
                .isZero();
    }

    @Test
    void countsAtTheScoreThreshold() {
        Row chip = handMade.get("chip");
        assertThat(List.of(chip.getAs("tp"), chip.getAs("fp"), chip.getAs("fn")))
                .isEqualTo(List.of(2L, 0L, 0L));
        assertThat((double) chip.getAs("precision")).isEqualTo(1.0);
        assertThat((double) chip.getAs("recall")).isEqualTo(1.0);
        assertThat((double) chip.getAs("f1")).isEqualTo(1.0);
        assertThat((double) chip.getAs("best_threshold"))
                .as("F1 1 from score 0.8 on")
                .isEqualTo(0.8);
        assertThat((double) chip.getAs("best_f1")).isEqualTo(1.0);
        Row all = handMade.get(DetectionMetrics.ALL);
        assertThat(List.of(all.getAs("tp"), all.getAs("fp"), all.getAs("fn"), all.getAs("labels"), all.getAs("images")))
                .isEqualTo(List.of(2L, 0L, 0L, 2L, 3L));
        assertThat((double) all.getAs("best_f1"))
                .as("mean F1 of the one class with labels")
                .isEqualTo(1.0);
    }

    @Test
    void confusionMatrix() {
        assertThat(handMadeConfusion.stream()
                        .map(r -> r.getString(1) + "/" + r.getString(2) + "=" + r.getLong(3))
                        .toList())
                .containsExactly("chip/background=1", "chip/chip=2", "ghost/background=1");
    }

    @Test
    void curves() {
        List<Row> chip = handMadeCurves.stream()
                .filter(r -> r.getString(1).equals("chip"))
                .toList();
        assertThat(chip).hasSize(101);
        assertThat(chip.stream().map(r -> r.getDouble(3)).distinct().toList()).containsExactly(1.0);
        assertThat(handMadeCurves.stream().filter(r -> r.getString(1).equals(DetectionMetrics.ALL)))
                .hasSize(101);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void matchesPycocotoolsAndUltralytics(int fixture) throws IOException {
        JsonNode json = fixture(fixture);
        Dataset<Row> detections = spark.createDataFrame(detectionRows(json), DETECTIONS);
        Dataset<Row> labels = spark.createDataFrame(labelRows(json), LABELS);
        List<Row> images = new ArrayList<>();
        json.get("images").forEach(image -> images.add(RowFactory.create("m", image.asText())));
        DetectionMetrics.Result result = DetectionMetrics.compute(
                spark, detections, labels, spark.createDataFrame(images, IMAGES), Map.of("m", 0.25));
        Map<String, Row> rows = new TreeMap<>();
        result.metrics().collectAsList().forEach(r -> rows.put(r.getAs("concept_name"), r));
        JsonNode coco = json.get("coco");
        JsonNode ultralytics = json.get("ultralytics");
        coco.get("classes").properties().forEach(entry -> {
            Row row = rows.get(entry.getKey());
            expectClose(row, "ap50_95", entry.getValue().get("ap50_95"), 1e-12);
            expectClose(row, "ap50", entry.getValue().get("ap50"), 1e-12);
            expectClose(
                    row,
                    "map50_95",
                    ultralytics.get("classes").get(entry.getKey()).get("map50_95"),
                    1e-9);
            expectClose(
                    row, "map50", ultralytics.get("classes").get(entry.getKey()).get("map50"), 1e-9);
        });
        Row all = rows.get(DetectionMetrics.ALL);
        expectClose(all, "ap50_95", coco.get("stats0"), 1e-12);
        expectClose(all, "ap50", coco.get("stats1"), 1e-12);
        expectClose(all, "map50_95", ultralytics.get("map50_95"), 1e-9);
        expectClose(all, "map50", ultralytics.get("map50"), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void referenceMatchesPycocotools(int fixture) throws IOException {
        JsonNode json = fixture(fixture);
        List<String> images = new ArrayList<>();
        json.get("images").forEach(image -> images.add(image.asText()));
        List<CocoEvalReference.Label> labels = new ArrayList<>();
        for (Row l : labelRows(json)) {
            labels.add(new CocoEvalReference.Label(
                    l.getString(0),
                    l.getString(1),
                    l.getDouble(2),
                    l.getDouble(3),
                    l.getDouble(4),
                    l.getDouble(5),
                    l.getBoolean(6)));
        }
        List<CocoEvalReference.Detection> detections = new ArrayList<>();
        for (Row d : detectionRows(json)) {
            detections.add(new CocoEvalReference.Detection(
                    d.getString(1),
                    d.getString(2),
                    d.getDouble(3),
                    d.getDouble(4),
                    d.getDouble(5),
                    d.getDouble(6),
                    d.getDouble(7)));
        }
        // pycocotools was given each image's detections in evaluation order
        detections.sort(java.util.Comparator.comparing(CocoEvalReference.Detection::imageId)
                .thenComparing(
                        d -> new dev.inspection.eval.ScoredBox(
                                d.concept(), d.score(), d.top(), d.left(), d.bottom(), d.right()),
                        dev.inspection.eval.ScoredBox.EVALUATION_ORDER));
        CocoEvalReference.Result result = CocoEvalReference.evaluate(images, labels, detections);
        JsonNode coco = json.get("coco");
        coco.get("classes").properties().forEach(entry -> {
            JsonNode expected = entry.getValue();
            if (expected.get("ap50").isNull()) {
                assertThat(result.ap50().get(entry.getKey())).as(entry.getKey()).isNull();
            } else {
                assertThat(result.ap50To95().get(entry.getKey()))
                        .as(entry.getKey())
                        .isCloseTo(expected.get("ap50_95").asDouble(), within(1e-12));
                assertThat(result.ap50().get(entry.getKey()))
                        .as(entry.getKey())
                        .isCloseTo(expected.get("ap50").asDouble(), within(1e-12));
            }
        });
        assertThat(result.meanAp50To95()).isCloseTo(coco.get("stats0").asDouble(), within(1e-12));
        assertThat(result.meanAp50()).isCloseTo(coco.get("stats1").asDouble(), within(1e-12));
    }

    static void expectClose(Row row, String column, JsonNode expected, double tolerance) {
        if (expected.isNull()) {
            assertThat(row.isNullAt(row.fieldIndex(column)))
                    .as(row.getAs("concept_name") + " " + column + " null")
                    .isTrue();
        } else {
            assertThat((double) row.getAs(column))
                    .as(row.getAs("concept_name") + " " + column)
                    .isCloseTo(expected.asDouble(), within(tolerance));
        }
    }

    static JsonNode fixture(int number) throws IOException {
        try (InputStream in = DetectionMetricsTest.class.getResourceAsStream("/coco/case-" + number + ".json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static List<Row> detectionRows(JsonNode json) {
        List<Row> rows = new ArrayList<>();
        json.get("detections")
                .forEach(d -> rows.add(RowFactory.create(concat(
                        new Object[] {
                            "m",
                            d.get("image_id").asText(),
                            d.get("concept_name").asText(),
                            d.get("score").asDouble()
                        },
                        box(d)))));
        return rows;
    }

    static List<Row> labelRows(JsonNode json) {
        List<Row> rows = new ArrayList<>();
        json.get("labels")
                .forEach(l -> rows.add(RowFactory.create(concat(
                        new Object[] {
                            l.get("image_id").asText(), l.get("concept_name").asText()
                        },
                        box(l),
                        new Object[] {l.get("iscrowd").asBoolean()}))));
        return rows;
    }

    static Object[] box(JsonNode row) {
        return new Object[] {
            row.get("top_row").asDouble(),
            row.get("left_col").asDouble(),
            row.get("bottom_row").asDouble(),
            row.get("right_col").asDouble()
        };
    }

    static Object[] concat(Object[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray();
    }
}

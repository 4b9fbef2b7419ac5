package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.evaluate.metrics.CocoEvalReference;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation job on the demo boards: an anomaly model's metrics on the boards laid out as an MVTec AD category
 * (masks from the injected defects), calibration on normal boards at a false-positive rate and the calibrated package
 * inspecting other boards, and a calibration that cannot be done refused before anything runs.
 */
@Tag("spark")
class EvaluationJobTest {

    static final String DATE = "2026-12-01";

    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("EvaluationJobTest", 2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void detectionMetricsOfTheDemoBoardsArePycocotoolsOwn() throws Exception {
        Path out = dir.resolve("boxes-out");
        EvaluationJob.Evaluated run = evaluate(
                "--labels", DemoData.ROOT.resolve("labels.csv").toString(),
                "--input", DemoData.IMAGES.toString(),
                "--detector", DemoData.DETECTOR.toString(),
                "--output", out.toString());

        Map<String, Row> metrics = new TreeMap<>();
        read(out, "detection_metrics").forEach(r -> metrics.put(r.getAs("concept_name"), r));
        assertThat(metrics).containsOnlyKeys("all", "capacitor", "chip", "resistor");
        assertThat(metrics.get("chip").<Long>getAs("labels")).isEqualTo(70);
        assertThat(metrics.get("capacitor").<Long>getAs("labels")).isEqualTo(75);
        assertThat(metrics.get("resistor").<Long>getAs("labels")).isEqualTo(59);
        assertThat(metrics.get("all").<Long>getAs("images")).isEqualTo(50);
        for (Row r : metrics.values()) {
            assertThat(r.<Long>getAs("tp") + r.<Long>getAs("fn")).isEqualTo(r.<Long>getAs("labels"));
        }

        // COCOeval (a plain port in the test code, checked against pycocotools itself) on the regions the run wrote
        // and the true boxes gives the same AP, class by class.
        CocoEvalReference.Result coco = cocoReference(read(out, "regions"), DemoData.labels());
        for (String concept : List.of("capacitor", "chip", "resistor")) {
            assertThat(metrics.get(concept).<Double>getAs("ap50_95"))
                    .isCloseTo(coco.ap50To95().get(concept), within(1e-12));
            assertThat(metrics.get(concept).<Double>getAs("ap50"))
                    .isCloseTo(coco.ap50().get(concept), within(1e-12));
        }
        assertThat(metrics.get("all").<Double>getAs("ap50_95")).isCloseTo(coco.meanAp50To95(), within(1e-12));
        // The demo detector finds the parts: AP50 above 0.9, Ultralytics' mAP50 close to COCO's.
        assertThat(metrics.get("all").<Double>getAs("ap50")).isGreaterThan(0.9);
        assertThat(metrics.get("all").<Double>getAs("map50"))
                .isCloseTo(metrics.get("all").getAs("ap50"), within(0.03));
        assertThat(run.report()).contains("mAP50-95");

        Row recorded = single(read(out, "runs"));
        Path plots = plots(out, "detection", recorded.getAs("run_id"));
        for (String png : List.of("pr-pcb-detector.png", "confusion-pcb-detector.png")) {
            assertThat(ImageIO.read(plots.resolve(png).toFile()).getWidth()).isGreaterThan(600);
        }
        assertThat(out.resolve("anomaly_metrics")).doesNotExist(); // a detector's evaluation leaves it alone
        assertThat(read(out, "errors")).isEmpty();

        // A rerun of the date gives the same metrics, and only its own plots; its report shows both.
        evaluate(
                "--labels",
                DemoData.ROOT.resolve("labels.csv").toString(),
                "--input",
                DemoData.IMAGES.toString(),
                "--detector",
                DemoData.DETECTOR.toString(),
                "--output",
                out.toString(),
                "--report");
        List<Row> again = read(out, "detection_metrics");
        assertThat(again).hasSize(4);
        for (Row r : again) {
            Row first = metrics.get(r.<String>getAs("concept_name"));
            for (String column : List.of("ap50_95", "ap50", "map50_95", "precision", "recall", "best_f1", "tp")) {
                assertThat(r.<Object>getAs(column)).isEqualTo(first.getAs(column));
            }
        }
        assertThat(Files.list(out.resolve("evaluation/run_date=" + DATE + "/detection")))
                .hasSize(1);
        Path report = out.resolve("reports/run_date=" + DATE);
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html).contains("<h2>Evaluation</h2>", "<h3>detection_metrics</h3>", "labels&#61;"); // = escaped
        String evaluation = html.substring(html.indexOf("id=\"evaluation\""));
        assertThat(evaluation.split("<tr><td>pcb-detector</td>", -1))
                .as("a row per class and one for all")
                .hasSize(5);
        for (String png : List.of("pr-pcb-detector.png", "confusion-pcb-detector.png")) {
            assertThat(html).contains("src=\"evaluation/detection-" + png + "\"");
            assertThat(ImageIO.read(report.resolve("evaluation/detection-" + png)
                                    .toFile())
                            .getWidth())
                    .isGreaterThan(600);
        }
    }

    @Test
    void coco8ThroughYolov8nGivesPycocotoolsMapOfUltralyticsOwnPredictions() throws Exception {
        Path compat = Path.of("..", "shared", "compat").toAbsolutePath();
        if (!Files.isDirectory(compat)) {
            compat = Path.of("..", "..", "shared", "compat").toAbsolutePath();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(compat.resolve("coco8-train")), "../shared/compat is absent");
        Path out = dir.resolve("coco8-out");
        EvaluationJob.Evaluated run = evaluate(
                "--labels", compat.resolve("coco8-train").toString(),
                "--detector", compat.resolve("models/yolov8n-int8-640.onnx").toString(),
                "--score-threshold", "0.25",
                "--output", out.toString());
        System.out.println(run.report());
        Row all = read(out, "detection_metrics").stream()
                .filter(r -> r.getAs("concept_name").equals("all"))
                .findFirst()
                .orElseThrow();
        // pycocotools on Ultralytics' own predictions at conf 0.25 (scripts/models/make_coco8_reference.py): the
        // same boxes to half a pixel and scores to a few thousandths on another processor, so the same mAP but for
        // a detection at the threshold.
        var reference = new com.google.gson.Gson()
                .fromJson(
                        Files.readString(Path.of(getClass()
                                .getResource("/coco/coco8-yolov8n-int8.json")
                                .toURI())),
                        com.google.gson.JsonObject.class);
        assertThat(all.<Long>getAs("labels")).isEqualTo(reference.get("labels").getAsLong());
        assertThat(all.<Long>getAs("images")).isEqualTo(4);
        assertThat(all.<Double>getAs("ap50_95"))
                .isCloseTo(reference.get("ap50_95").getAsDouble(), within(0.01));
        assertThat(all.<Double>getAs("ap50")).isCloseTo(reference.get("ap50").getAsDouble(), within(0.01));
    }

    /** COCOeval of the regions against the true boxes (pixels of each board), by the reference port. */
    private static CocoEvalReference.Result cocoReference(List<Row> regions, Map<String, List<DemoData.Box>> truth)
            throws Exception {
        List<String> images = new ArrayList<>();
        List<CocoEvalReference.Label> labels = new ArrayList<>();
        for (Map.Entry<String, List<DemoData.Box>> e : truth.entrySet()) {
            String image = e.getKey().replace(".jpg", "");
            images.add(image);
            BufferedImage board =
                    ImageIO.read(DemoData.IMAGES.resolve(e.getKey()).toFile());
            double w = board.getWidth();
            double h = board.getHeight();
            for (DemoData.Box b : e.getValue()) {
                labels.add(new CocoEvalReference.Label(
                        image, b.concept(), b.yMin() / h, b.xMin() / w, b.yMax() / h, b.xMax() / w, false));
            }
        }
        List<CocoEvalReference.Detection> detections = regions.stream()
                .map(r -> new CocoEvalReference.Detection(
                        Path.of(java.net.URI.create(r.getAs("source_uri")))
                                .getFileName()
                                .toString()
                                .replace(".jpg", ""),
                        r.getAs("concept_name"),
                        r.getAs("score"),
                        r.getAs("top_row"),
                        r.getAs("left_col"),
                        r.getAs("bottom_row"),
                        r.getAs("right_col")))
                .sorted(java.util.Comparator.comparing(CocoEvalReference.Detection::score)
                        .reversed()
                        .thenComparing(CocoEvalReference.Detection::top)
                        .thenComparing(CocoEvalReference.Detection::left)
                        .thenComparing(CocoEvalReference.Detection::bottom)
                        .thenComparing(CocoEvalReference.Detection::right)
                        .thenComparing(CocoEvalReference.Detection::concept))
                .toList();
        return CocoEvalReference.evaluate(images, labels, detections);
    }

    @Test
    void anomalyMetricsOfTheDemoBoardsAsAnMvtecCategory() throws Exception {
        Path labels = EvaluationData.mvtec(dir.resolve("mvtec"));
        Path out = dir.resolve("mvtec-out");
        EvaluationJob.Evaluated run = evaluate(
                "--labels",
                labels.toString(),
                "--anomaly",
                DemoData.ANOMALY_MODEL.toString(),
                "--calibrate",
                "--output",
                out.toString());

        Row metrics = single(read(out, "anomaly_metrics"));
        assertThat(metrics.<String>getAs("model_name")).isEqualTo("pcb-anomaly");
        assertThat(metrics.<Long>getAs("normal_images")).isEqualTo(30);
        assertThat(metrics.<Long>getAs("anomalous_images")).isEqualTo(20);
        assertThat(metrics.<Long>getAs("masks")).isEqualTo(50);
        // The image AUROC is the share of (anomalous, normal) pairs the scores order right, ties half: computed here
        // from the image_scores rows the same run wrote.
        List<Row> scores = read(out, "image_scores");
        List<Double> anomalous = new ArrayList<>();
        List<Double> normal = new ArrayList<>();
        for (Row r : scores) {
            double raw = r.isNullAt(r.fieldIndex("raw_score")) ? r.getAs("score") : r.getAs("raw_score");
            (r.<String>getAs("source_uri").contains("/test/good/") ? normal : anomalous).add(raw);
        }
        double pairs = 0;
        for (double a : anomalous) {
            for (double n : normal) {
                pairs += a > n ? 1 : a == n ? 0.5 : 0;
            }
        }
        assertThat(metrics.<Double>getAs("image_auroc"))
                .isCloseTo(pairs / (anomalous.size() * normal.size()), within(1e-12))
                .isGreaterThan(0.95);
        // The damaged parts light up the maps: most of the defects' pixels score above most normal pixels.
        assertThat(metrics.<Double>getAs("pixel_auroc")).isGreaterThan(0.85);
        assertThat(metrics.<Double>getAs("aupro")).isBetween(0.5, 1.0);
        assertThat(metrics.<Double>getAs("image_f1_max")).isBetween(0.8, 1.0);
        assertThat(run.report()).contains("pcb-anomaly: image AUROC").contains("AUPRO");

        Row recorded = single(read(out, "runs"));
        assertThat(recorded.<String>getAs("status")).isEqualTo("SUCCEEDED");
        assertThat(recorded.<String>getAs("evaluation"))
                .startsWith("labels=" + labels + "; calibrated pcb-anomaly (F1-best): image_threshold ");
        BufferedImage histogram = ImageIO.read(plots(out, "anomaly", recorded.getAs("run_id"))
                .resolve("scores-pcb-anomaly.png")
                .toFile());
        assertThat(histogram.getWidth()).isGreaterThan(600);
        assertThat(read(out, "errors")).isEmpty();
        assertThat(out.resolve("detection_metrics")).doesNotExist();

        // --calibrate: the package's thresholds are the F1-best ones, on the model's own scale (a 2.x export's
        // normalized one): the image threshold is one of the images' scores, the pixel threshold a bin edge.
        var json = new com.google.gson.Gson()
                .fromJson(
                        Files.readString(out.resolve("calibrated/run_date=" + DATE + "/pcb-anomaly/model.json")),
                        com.google.gson.JsonObject.class);
        double imageThreshold = json.get("image_threshold").getAsDouble();
        assertThat(imageThreshold).isEqualTo(metrics.<Double>getAs("image_f1_threshold"));
        assertThat(java.util.stream.Stream.concat(anomalous.stream(), normal.stream()))
                .contains(imageThreshold);
        assertThat(json.get("pixel_threshold").getAsDouble())
                .isCloseTo(metrics.<Double>getAs("pixel_f1_threshold"), within(1e-12));
        assertThat(json.getAsJsonObject("calibration").get("method").getAsString())
                .isEqualTo("f1");
    }

    @Test
    void aFailedEvaluationLeavesTheDatesFilesAsTheLastCommittedTablesNameThem() throws Exception {
        Path labels = EvaluationData.mvtec(dir.resolve("mvtec-failing"));
        Path out = dir.resolve("failing-out");
        String[] options = {
            "--labels",
            labels.toString(),
            "--anomaly",
            DemoData.ANOMALY_MODEL.toString(),
            "--calibrate",
            "--output",
            out.toString()
        };
        Path plots = out.resolve("evaluation/run_date=" + DATE + "/anomaly");
        Path calibrated = out.resolve("calibrated/run_date=" + DATE);
        Path overlays = out.resolve("heatmaps/run_date=" + DATE);
        String first = evaluate(options).inspection().runId();

        // The second run fails writing anomaly_metrics, after its overlays (committed with heatmap_summaries), its
        // plots and its calibrated package (both staged) were written.
        Path metrics = out.resolve("anomaly_metrics");
        Path kept = out.resolve("anomaly_metrics.kept");
        Files.move(metrics, kept);
        Files.writeString(metrics, "a file where the table's folder should be");
        assertThatThrownBy(() -> evaluate(options)).isNotNull();
        Files.delete(metrics);
        Files.move(kept, metrics);

        List<Row> runs = read(out, "runs");
        String failed = runs.stream()
                .filter(r -> "FAILED".equals(r.getAs("status")))
                .map(r -> r.<String>getAs("run_id"))
                .findFirst()
                .orElseThrow();
        assertThat(children(plots))
                .as("the plots of the last committed metrics")
                .containsExactly(first);
        assertThat(children(calibrated)).as("the committed package, no staging").containsExactly("pcb-anomaly");
        assertThat(Files.readString(calibrated.resolve("pcb-anomaly/model.json")))
                .contains(first);
        assertThat(children(overlays))
                .as("the overlays heatmap_summaries names")
                .containsExactly(failed);
        assertThat(read(out, "heatmap_summaries")).allSatisfy(r -> {
            String uri = r.getAs("heatmap_uri");
            if (uri != null) {
                assertThat(Path.of(java.net.URI.create(uri))).exists();
            }
        });

        // The next run replaces them all with its own.
        String third = evaluate(options).inspection().runId();
        assertThat(children(plots)).containsExactly(third);
        assertThat(children(calibrated)).containsExactly("pcb-anomaly");
        assertThat(Files.readString(calibrated.resolve("pcb-anomaly/model.json")))
                .contains(third);
        assertThat(children(overlays)).containsExactly(third);
    }

    private static List<String> children(Path folder) throws java.io.IOException {
        try (var list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void calibratesOnNormalBoardsAtAFalsePositiveRateAndTheNextNightUsesIt() throws Exception {
        List<Path> boards = EvaluationData.normalBoards();
        List<Path> calibration = boards.subList(0, 60);
        Path labels = EvaluationData.verdicts(dir.resolve("calibration.csv"), calibration, List.of());
        Path out = dir.resolve("calibration-out");
        EvaluationJob.Evaluated run = evaluate(
                "--labels",
                labels.toString(),
                "--anomaly",
                DemoData.ANOMALY_MODEL.toString(),
                "--calibrate-fpr",
                "0.05",
                "--output",
                out.toString());
        Path pkg = out.resolve("calibrated/run_date=" + DATE + "/pcb-anomaly");
        String json = Files.readString(pkg.resolve("model.json"));
        assertThat(json)
                .contains("\"source_sha256\": \""
                        + dev.inspection.model.ModelPackage.sha256(Files.readAllBytes(DemoData.ANOMALY_MODEL)) + "\"")
                .contains("\"method\": \"fpr\"")
                .contains("\"format\": \"anomalib2\"");
        assertThat(Files.readAllBytes(pkg.resolve("model.onnx"))).isEqualTo(Files.readAllBytes(DemoData.ANOMALY_MODEL));
        assertThat(single(read(out, "runs")).<String>getAs("evaluation")).contains("calibrated pcb-anomaly (fpr 0.05)");
        assertThat(run.report()).contains("calibrated pcb-anomaly");
        assertThat(Files.list(pkg.getParent()).map(p -> p.getFileName().toString()))
                .containsExactly("pcb-anomaly"); // the staging folder is gone

        // The package as an inspection runs it: of the 60 boards it was calibrated on, floor(0.05 * 60) = 3 are
        // anomalous, exactly; of 60 other normal boards about as few, and the damaged demo boards are still found.
        Map<String, Long> flagged = flaggedBy(pkg, calibration, "calibration");
        assertThat(flagged.get("normal")).isEqualTo(3);
        List<Path> others = new ArrayList<>(boards.subList(60, 120));
        List<Path> damaged = DemoData.images().stream()
                .filter(p -> p.getFileName().toString().compareTo("board-101") > 0)
                .toList();
        others.addAll(damaged);
        Map<String, Long> next = flaggedBy(pkg, others, "next");
        Map<String, Long> uncalibrated = flaggedBy(DemoData.ANOMALY_MODEL, others, "uncalibrated");
        assertThat(damaged).hasSize(20);
        assertThat(next.get("normal")).isBetween(0L, 6L).isLessThan(uncalibrated.get("normal"));
        assertThat(next.get("damaged")).isGreaterThanOrEqualTo(uncalibrated.get("damaged") * 3 / 4);
        System.out.printf(
                "Calibrated at FPR 0.05 on 60 normal boards: 3 of them flagged; of 60 others %d (uncalibrated %d),"
                        + " of the 20 damaged %d (uncalibrated %d)%n",
                next.get("normal"), uncalibrated.get("normal"), next.get("damaged"), uncalibrated.get("damaged"));
    }

    @Test
    void calibratingToTheBestF1WithoutAnomalousImagesIsRefused() throws Exception {
        Path labels = EvaluationData.verdicts(
                dir.resolve("normal-only.csv"), EvaluationData.normalBoards().subList(0, 3), List.of());
        assertThatThrownBy(() -> evaluate(
                        "--labels",
                        labels.toString(),
                        "--anomaly",
                        DemoData.ANOMALY_MODEL.toString(),
                        "--calibrate",
                        "--output",
                        dir.resolve("refused").toString()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--calibrate-fpr");
        assertThat(Files.exists(dir.resolve("refused/runs"))).isFalse();
        // The inspection refuses the evaluation's options before Spark starts.
        assertThat(InspectionJob.run(new String[] {
                    "--input", DemoData.IMAGES.toString(),
                    "--labels", labels.toString(),
                    "--anomaly", DemoData.ANOMALY_MODEL.toString(),
                    "--output", dir.resolve("refused").toString()
                }))
                .isEqualTo(InspectionJob.EXIT_USAGE);
    }

    @Test
    void eachBadLabelIsAnErrorsRowAndTheEvaluationGoesOn() throws Exception {
        Path images = Files.createDirectories(dir.resolve("yolo-images"));
        Path labels = Files.createDirectories(dir.resolve("yolo-labels"));
        Map<String, List<DemoData.Box>> truth = DemoData.labels();
        List<String> classes = List.of("chip", "capacitor", "resistor");
        for (String name : List.of("board-001.jpg", "board-002.jpg", "board-003.jpg")) {
            Path image = Files.copy(DemoData.IMAGES.resolve(name), images.resolve(name));
            BufferedImage picture = ImageIO.read(image.toFile());
            List<String> lines = new ArrayList<>();
            for (DemoData.Box b : truth.get(name)) {
                lines.add(String.format(
                        java.util.Locale.ROOT,
                        "%d %.6f %.6f %.6f %.6f",
                        classes.indexOf(b.concept()),
                        (b.xMin() + b.xMax()) / 2 / picture.getWidth(),
                        (b.yMin() + b.yMax()) / 2 / picture.getHeight(),
                        (b.xMax() - b.xMin()) / picture.getWidth(),
                        (b.yMax() - b.yMin()) / picture.getHeight()));
            }
            if (name.equals("board-002.jpg")) {
                lines.add("1 0.5 0.5"); // malformed: three fields
                lines.add("7 0.5 0.5 0.1 0.1"); // the detector has 3 classes
            }
            Files.write(labels.resolve(name.replace(".jpg", ".txt")), lines);
        }
        Files.write(labels.resolve("board-999.txt"), List.of("0 0.5 0.5 0.1 0.1")); // no such image
        Path out = dir.resolve("yolo-out");
        evaluate(
                "--labels", labels.toString(),
                "--input", images.toString(),
                "--detector", DemoData.DETECTOR.toString(),
                "--output", out.toString());

        List<Row> errors = read(out, "errors");
        assertThat(errors).allMatch(r -> r.getAs("stage").equals("labels"));
        assertThat(names(errors, "error_class")).isEqualTo("MalformedLabel,MissingImage,UnknownClass");
        assertThat(errors.stream().map(r -> r.<String>getAs("source_uri")))
                .anyMatch(u -> u.endsWith("board-002.txt"))
                .anyMatch(u -> u.endsWith("board-999.txt"));
        // The good labels are evaluated: every box of the three boards, and the three images.
        Row all = read(out, "detection_metrics").stream()
                .filter(r -> r.getAs("concept_name").equals("all"))
                .findFirst()
                .orElseThrow();
        int boxes = truth.get("board-001.jpg").size()
                + truth.get("board-002.jpg").size()
                + truth.get("board-003.jpg").size();
        assertThat(all.<Long>getAs("labels")).isEqualTo(boxes);
        assertThat(all.<Long>getAs("images")).isEqualTo(3);
        assertThat(single(read(out, "runs")).<Long>getAs("inputs_failed")).isZero();
    }

    /** How many of these boards (normal ones, damaged demo ones) the model package judges anomalous. */
    private static Map<String, Long> flaggedBy(Path pkg, List<Path> boards, String name) throws Exception {
        Path input = Files.createDirectories(dir.resolve(name));
        for (Path b : boards) {
            Files.copy(b, input.resolve(b.getFileName()));
        }
        Path out = dir.resolve(name + "-out");
        new InspectionJob(
                        spark,
                        InspectArgs.parse(
                                "--input", input.toString(),
                                "--anomaly", pkg.toString(),
                                "--output", out.toString(),
                                "--run-date", DATE))
                .execute();
        Map<String, Long> flagged = new TreeMap<>(Map.of("normal", 0L, "damaged", 0L));
        for (Row r : read(out, "image_scores")) {
            if (r.<Boolean>getAs("is_anomalous")) {
                flagged.merge(
                        r.<String>getAs("source_uri").matches(".*board-1\\d\\d\\.jpg") ? "damaged" : "normal",
                        1L,
                        Long::sum);
            }
        }
        return flagged;
    }

    static EvaluationJob.Evaluated evaluate(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--run-date", DATE));
        return EvaluationJob.execute(spark, InspectArgs.parse(args.toArray(String[]::new)));
    }

    static List<Row> read(Path out, String table) {
        return spark.read().parquet(out.resolve(table).toString()).collectAsList();
    }

    static Row single(List<Row> rows) {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    static Path plots(Path out, String kind, String runId) {
        return out.resolve("evaluation/run_date=" + DATE + "/" + kind + "/" + runId);
    }

    static String names(List<Row> rows, String column) {
        return rows.stream()
                .map(r -> java.util.Objects.toString(r.get(r.fieldIndex(column))))
                .sorted()
                .collect(Collectors.joining(","));
    }
}

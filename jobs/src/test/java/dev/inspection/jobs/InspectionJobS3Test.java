package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.model.LoadedModels;
import dev.inspection.model.ModelPackage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The whole job in Spark local mode, reading and writing s3a:// on an S3 server started here. */
@Tag("spark")
@Tag("s3")
@Tag("video")
class InspectionJobS3Test {

    static final String BUCKET = "plant";
    static final String OUT = "s3a://plant/inspections";
    static EmbeddedS3 s3;
    static SparkSession spark;
    static byte[] detector;

    @BeforeAll
    static void start() throws Exception {
        s3 = EmbeddedS3.start();
        s3.createBucket(BUCKET);
        List<Path> images = DemoData.images();
        for (int i = 0; i < images.size(); i++) {
            String line = i % 2 == 0 ? "line-1" : "line-2";
            s3.put(BUCKET, "boards/" + line + "/" + images.get(i).getFileName(), Files.readAllBytes(images.get(i)));
        }
        BufferedImage blank = new BufferedImage(300, 200, BufferedImage.TYPE_3BYTE_BGR); // a bare board: nothing on it
        java.awt.Graphics2D g = blank.createGraphics();
        g.setColor(new java.awt.Color(25, 115, 60));
        g.fillRect(0, 0, 300, 200);
        g.dispose();
        s3.put(BUCKET, "boards/line-1/blank.png", png(blank));
        byte[] jpeg = Files.readAllBytes(images.get(0));
        s3.put(BUCKET, "boards/bad/truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 3));
        s3.put(BUCKET, "boards/bad/empty.png", new byte[0]);
        s3.put(BUCKET, "boards/bad/notes.jpg", "shift notes, not a photo".getBytes(StandardCharsets.UTF_8));
        s3.put(BUCKET, "boards/bad/huge.png", hugePng());
        s3.put(BUCKET, "boards/labels.csv", "not an image, not listed".getBytes(StandardCharsets.UTF_8));
        Path videos = Files.createTempDirectory("videos");
        DemoVideos.conveyor(videos.resolve("conveyor.mp4"), false);
        s3.put(BUCKET, "boards/line-2/conveyor.mp4", Files.readAllBytes(videos.resolve("conveyor.mp4")));
        DemoVideos.conveyor(videos.resolve("streamable.mp4"), true); // index first: a cut file still opens
        byte[] streamable = Files.readAllBytes(videos.resolve("streamable.mp4"));
        s3.put(BUCKET, "boards/bad/cut.mp4", Arrays.copyOf(streamable, streamable.length / 2));
        DemoVideos.voiceMemo(videos.resolve("voice-memo.mp4"));
        s3.put(BUCKET, "boards/bad/voice-memo.mp4", Files.readAllBytes(videos.resolve("voice-memo.mp4")));
        s3.put(BUCKET, "boards/bad/garbage.mov", "not a movie".repeat(100).getBytes(StandardCharsets.UTF_8));
        detector = Files.readAllBytes(DemoData.DETECTOR);
        s3.put(BUCKET, "models/pcb-detector.onnx", detector);
        s3.put(BUCKET, "models/pcb-anomaly/model.onnx", Files.readAllBytes(DemoData.ANOMALY_MODEL));
        s3.put(
                BUCKET,
                "models/pcb-anomaly/model.json",
                "{\"name\": \"pcb-anomaly\", \"version\": \"1.0.0\"}".getBytes(StandardCharsets.UTF_8));

        // Names as cameras and people write them: a time with colons, a space, a hash and a percent sign.
        s3.put(BUCKET, COLON_KEY, Files.readAllBytes(images.get(0)));
        s3.put(BUCKET, ODD_KEY, Files.readAllBytes(images.get(1)));

        spark = s3.localSpark("InspectionJobS3Test");
        first = inspect("2026-11-22");
        firstRegionIds = regionIds();
        firstOverlays = overlaysNamed();
        // The same night again: what every test below reads is this rerun's.
        result = inspect("2026-11-22");
    }

    static final String COLON_KEY = "boards/line-1/cam_2026-12-01T10:00:00.jpg";
    static final String ODD_KEY = "boards/line-2/board #7 (100% done).jpg";
    static InspectionJob.Result first;
    static InspectionJob.Result result;
    static List<String> firstRegionIds;
    static List<String> firstOverlays;

    private static List<String> regionIds() {
        return regions().select("region_id").as(Encoders.STRING()).collectAsList().stream()
                .sorted()
                .toList();
    }

    private static Dataset<Row> regions() {
        return spark.read().parquet(OUT + "/regions").where("run_date = DATE'2026-11-22'");
    }

    private static List<String> overlaysNamed() {
        return spark
                .read()
                .parquet(OUT + "/heatmap_summaries")
                .where("run_date = DATE'2026-11-22'")
                .where("heatmap_uri IS NOT NULL")
                .select("heatmap_uri")
                .as(Encoders.STRING())
                .collectAsList()
                .stream()
                .sorted()
                .toList();
    }

    @AfterAll
    static void stop() throws Exception {
        spark.stop();
        s3.close();
    }

    static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A valid PNG whose header claims 60000 x 60000 pixels. */
    static byte[] hugePng() throws Exception {
        byte[] out = png(new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out);
        b.putInt(16, 60_000);
        b.putInt(20, 60_000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(out, 12, 17);
        b.putInt(29, (int) crc.getValue());
        return out;
    }

    private static InspectionJob.Result inspect(String runDate) throws Exception {
        InspectArgs args = InspectArgs.parse(
                "--input", "s3a://plant/boards",
                "--detector", "s3a://plant/models/pcb-detector.onnx",
                "--anomaly", "s3a://plant/models/pcb-anomaly/",
                "--output", OUT,
                "--run-date", runDate,
                "--batch-size", "4",
                "--video-segment-s", "2");
        return new InspectionJob(spark, args).execute();
    }

    @Test
    void everyInputIsAccountedFor() {
        // 50 boards, 1 blank, 2 with odd names, 4 bad images; 1 good video, 3 bad ones; labels.csv is neither
        assertThat(result.inputsListed()).isEqualTo(61);
        assertThat(result.imagesProcessed()).isEqualTo(53);
        // The conveyor video's 6 frames at 1000 ms, and those of the cut one before the cut
        long cutFrames = result.framesProcessed() - 6;
        assertThat(cutFrames).isBetween(1L, 3L);
        assertThat(result.videosProcessed()).isEqualTo(2);
        assertThat(result.inputsFailed()).isEqualTo(7);
        // Three tables from two models, each image and frame decoded and put through each model once.
        assertThat(result.modelRuns()).isEqualTo((53 + result.framesProcessed()) * 2);
    }

    @Test
    void regionsTable() throws Exception {
        Dataset<Row> allRegions = regions();
        List<Row> regions = allRegions.where("frame_number IS NULL").collectAsList();
        assertThat(spark.read().parquet(OUT + "/regions").columns())
                .containsExactly(
                        "run_id",
                        "source_uri",
                        "video_id",
                        "frame_number",
                        "frame_time_ms",
                        "metadata",
                        "image_width",
                        "image_height",
                        "model_name",
                        "model_version",
                        "model_sha256",
                        "region_id",
                        "track_id",
                        "concept_id",
                        "concept_name",
                        "score",
                        "top_row",
                        "left_col",
                        "bottom_row",
                        "right_col",
                        "x_min",
                        "y_min",
                        "x_max",
                        "y_max",
                        "run_date");
        assertThat(allRegions.count()).isEqualTo(result.regionsWritten());
        assertThat(allRegions.select("region_id").distinct().count()).isEqualTo(result.regionsWritten());
        for (Row r : regions) {
            assertThat((String) r.getAs("run_id")).isEqualTo(result.runId());
            assertThat(r.<Object>getAs("video_id")).isNull();
            assertThat((String) r.getAs("model_name")).isEqualTo("pcb-detector");
            assertThat((String) r.getAs("model_sha256")).isEqualTo(ModelPackage.sha256(detector));
            int w = r.getAs("image_width");
            int h = r.getAs("image_height");
            assertThat((double) r.getAs("left_col")).isEqualTo((double) r.getAs("x_min") / w);
            assertThat((double) r.getAs("bottom_row")).isEqualTo((double) r.getAs("y_max") / h);
            assertThat((double) r.getAs("top_row")).isBetween(0.0, (double) r.getAs("bottom_row"));
            assertThat((double) r.getAs("score")).isBetween(0.25, 1.0);
        }
        assertThat(regions).noneMatch(r -> r.<String>getAs("source_uri").contains("blank.png"));
        assertDetectionQuality(regions);
        assertConveyorVideo(allRegions.where("frame_number IS NOT NULL").collectAsList());
    }

    @Test
    void namesWithAColonASpaceAHashAndAPercentAreInspectedUnderTheirOwnNames() {
        for (String key : List.of(COLON_KEY, ODD_KEY)) {
            String uri = "s3a://" + BUCKET + "/" + key;
            assertThat(regions()
                            .where(org.apache
                                    .spark
                                    .sql
                                    .functions
                                    .col("source_uri")
                                    .equalTo(uri))
                            .count())
                    .as("regions of %s", uri)
                    .isPositive();
            assertThat(spark.read()
                            .parquet(OUT + "/image_scores")
                            .where(org.apache
                                    .spark
                                    .sql
                                    .functions
                                    .col("source_uri")
                                    .equalTo(uri))
                            .count())
                    .as("image_scores of %s", uri)
                    .isEqualTo(1);
        }
    }

    @Test
    void errorsTable() {
        List<Row> errors = spark.read()
                .parquet(OUT + "/errors")
                .where("run_date = DATE'2026-11-22'")
                .collectAsList();
        assertThat(errors)
                .extracting(r -> r.getAs("source_uri"), r -> r.getAs("stage"), r -> r.getAs("error_class"))
                .containsExactlyInAnyOrder(
                        tuple("s3a://plant/boards/bad/truncated.jpg", "decode", "CorruptImage"),
                        tuple("s3a://plant/boards/bad/empty.png", "decode", "EmptyFile"),
                        tuple("s3a://plant/boards/bad/notes.jpg", "decode", "UnsupportedFormat"),
                        tuple("s3a://plant/boards/bad/huge.png", "decode", "ImageTooLarge"),
                        tuple("s3a://plant/boards/bad/cut.mp4", "decode", "TruncatedVideo"),
                        tuple("s3a://plant/boards/bad/voice-memo.mp4", "decode", "NoVideoStream"),
                        tuple("s3a://plant/boards/bad/garbage.mov", "decode", "UnreadableVideo"));
        assertThat(errors)
                .allSatisfy(r -> assertThat(r.<String>getAs("message")).isNotBlank());
        assertThat(errors.stream()
                        .filter(r -> r.<String>getAs("source_uri").endsWith("cut.mp4"))
                        .findFirst()
                        .orElseThrow()
                        .<String>getAs("message"))
                .contains("declares 60 frames");
    }

    @Test
    void runsTable() {
        Row run = spark.read()
                .parquet(OUT + "/runs")
                .where("run_id = '" + result.runId() + "'")
                .first();
        assertThat((long) run.getAs("inputs_listed")).isEqualTo(61);
        assertThat((long) run.getAs("images_processed")).isEqualTo(53);
        assertThat((long) run.getAs("videos_processed")).isEqualTo(2);
        assertThat((long) run.getAs("frames_processed")).isEqualTo(result.framesProcessed());
        assertThat((String) run.getAs("sampling")).isEqualTo("sample-ms=1000");
        assertThat((long) run.getAs("anomalous_images")).isEqualTo(result.anomalousImages());
        assertThat((long) run.getAs("inputs_failed")).isEqualTo(7);
        assertThat((long) run.getAs("regions_written")).isEqualTo(result.regionsWritten());
        assertThat((String) run.getAs("status")).isEqualTo("SUCCEEDED");
        List<Row> models = run.getList(run.fieldIndex("models"));
        assertThat(models)
                .extracting(m -> m.getAs("kind"), m -> m.getAs("name"))
                .containsExactly(tuple("detector", "pcb-detector"), tuple("anomaly", "pcb-anomaly"));
        assertThat(models.get(0).<String>getAs("sha256")).isEqualTo(ModelPackage.sha256(detector));
        assertThat(spark.read()
                        .parquet(OUT + "/runs")
                        .where("run_date = DATE'2026-11-22'")
                        .count())
                .as("one row per attempt: the run and its rerun")
                .isEqualTo(2);
    }

    @Test
    void aRerunOfTheNightReplacesItsRowsWithTheSameOnesAndItsOverlaysWithItsOwn() throws Exception {
        assertThat(regionIds()).as("region ids of the rerun").isEqualTo(firstRegionIds);
        assertThat(result.regionsWritten()).isEqualTo(first.regionsWritten());
        assertThat(spark.read()
                        .parquet(OUT + "/errors")
                        .where("run_date = DATE'2026-11-22'")
                        .count())
                .isEqualTo(7);
        List<String> overlays = overlaysNamed();
        assertThat(overlays)
                .as("overlays the rerun names")
                .hasSize(firstOverlays.size())
                .allSatisfy(uri -> assertThat(uri).contains("/" + result.runId() + "/"));
        List<String> stored = new ArrayList<>();
        s3.blobs()
                .list(
                        BUCKET,
                        org.jclouds.blobstore.options.ListContainerOptions.Builder.prefix(
                                        "inspections/heatmaps/run_date=2026-11-22/")
                                .recursive())
                .forEach(m -> stored.add("s3a://" + BUCKET + "/" + m.getName()));
        assertThat(stored.stream().filter(k -> k.endsWith(".png")).sorted().toList())
                .as("the overlay objects of the night: the rerun's, none of the first run's")
                .isEqualTo(overlays);
        // Two runs, several tasks each, one JVM: each model was loaded from the broadcast bytes once.
        assertThat(LoadedModels.loadCount()).isEqualTo(2);
    }

    @Test
    void aRunThatStopsHalfWayIsRecordedAsFailed(@org.junit.jupiter.api.io.TempDir Path out) throws Exception {
        Files.writeString(out.resolve("regions"), "a file where the regions table should go");
        InspectArgs args = InspectArgs.parse(
                "--input", DemoData.images().get(0).toString(),
                "--detector", DemoData.DETECTOR.toString(),
                "--output", out.toUri().toString(),
                "--run-date", "2026-11-21");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InspectionJob(spark, args).execute())
                .hasMessageContaining("regions");
        Row run = spark.read().parquet(out.resolve("runs").toString()).first();
        assertThat((String) run.getAs("status")).isEqualTo("FAILED");
        assertThat((long) run.getAs("inputs_listed")).isEqualTo(1);
        assertThat((String) run.getAs("message")).isNotBlank();
    }

    /**
     * The conveyor video, split into 3 segments of 2 s: one frame a second, each numbered and timed from the video, each
     * once; the parts found are those of the board in view at that time, where they are on it.
     */
    private static void assertConveyorVideo(List<Row> frameRegions) throws Exception {
        String video = "s3a://plant/boards/line-2/conveyor.mp4";
        List<Row> conveyor = frameRegions.stream()
                .filter(r -> r.getAs("source_uri").equals(video))
                .toList();
        assertThat(conveyor).allSatisfy(r -> {
            assertThat(r.<String>getAs("video_id")).isEqualTo(video);
            assertThat(r.<Long>getAs("frame_time_ms")).isEqualTo(r.<Long>getAs("frame_number") * 100);
        });
        assertThat(conveyor.stream()
                        .map(r -> r.<Long>getAs("frame_number"))
                        .distinct()
                        .sorted())
                .containsExactly(0L, 10L, 20L, 30L, 40L, 50L);
        Map<String, List<DemoData.Box>> labels = DemoData.labels();
        for (long second = 0; second < 6; second++) {
            long time = second * 1000;
            List<Row> found = conveyor.stream()
                    .filter(r -> r.<Long>getAs("frame_time_ms") == time)
                    .toList();
            List<DemoData.Box> parts = labels.get(DemoVideos.boardAt(time));
            long matched = parts.stream()
                    .filter(box -> found.stream()
                            .anyMatch(r -> box.concept().equals(r.getAs("concept_name"))
                                    && box.iou(r.getAs("x_min"), r.getAs("y_min"), r.getAs("x_max"), r.getAs("y_max"))
                                            >= 0.5))
                    .count();
            assertThat(matched)
                    .as("parts of %s found at %d ms", DemoVideos.boardAt(time), time)
                    .isGreaterThanOrEqualTo(Math.round(0.8 * parts.size()));
        }
    }

    @Test
    void imageScoresTable() throws Exception {
        Dataset<Row> allScores = spark.read().parquet(OUT + "/image_scores").where("run_date = DATE'2026-11-22'");
        List<Row> scores = allScores.where("frame_number IS NULL").collectAsList();
        assertThat(spark.read().parquet(OUT + "/image_scores").columns())
                .containsExactly(
                        "run_id",
                        "source_uri",
                        "video_id",
                        "frame_number",
                        "frame_time_ms",
                        "metadata",
                        "model_name",
                        "model_version",
                        "model_sha256",
                        "score",
                        "raw_score",
                        "threshold",
                        "is_anomalous",
                        "concept_name",
                        "run_date");
        assertThat(allScores.count()).isEqualTo(53 + result.framesProcessed());
        assertThat(scores).hasSize(53);
        assertThat(scores.stream().map(r -> r.<String>getAs("source_uri")).distinct())
                .hasSize(53);
        for (Row r : scores) {
            assertThat(r.<String>getAs("concept_name")).isEqualTo("anomaly");
            assertThat(r.<Double>getAs("threshold")).isEqualTo(0.5);
            assertThat(r.<Object>getAs("raw_score")).isNull(); // anomalib 2.x gives normalized values only
            assertThat(r.<Boolean>getAs("is_anomalous")).isEqualTo(r.<Double>getAs("score") >= 0.5);
            assertThat(r.<String>getAs("model_version")).isEqualTo("1.0.0");
        }
        Map<String, List<DemoData.Box>> defects = DemoData.defects();
        List<Double> normal = new ArrayList<>();
        List<Double> damaged = new ArrayList<>();
        for (Row r : scores) {
            String file = r.<String>getAs("source_uri").replaceAll(".*/", "");
            if (file.startsWith("board-")) {
                (defects.containsKey(file) ? damaged : normal).add(r.getAs("score"));
            }
        }
        assertThat(normal).hasSize(30);
        assertThat(damaged).hasSize(20);
        double auroc = auroc(normal, damaged);
        System.out.printf(
                "Demo anomaly model on 30 normal and 20 damaged boards: AUROC %.3f; %d images anomalous%n",
                auroc, result.anomalousImages());
        assertThat(auroc).isGreaterThanOrEqualTo(0.95);

        // The defective boards in view at 2 s and 4 s score higher than the normal ones of the video.
        List<Row> conveyor = allScores
                .where("source_uri LIKE '%conveyor.mp4'")
                .orderBy("frame_number")
                .collectAsList();
        assertThat(conveyor).hasSize(6);
        List<Double> videoNormal = new ArrayList<>();
        List<Double> videoDamaged = new ArrayList<>();
        for (Row r : conveyor) {
            (defects.containsKey(DemoVideos.boardAt(r.getAs("frame_time_ms"))) ? videoDamaged : videoNormal)
                    .add(r.getAs("score"));
        }
        assertThat(auroc(videoNormal, videoDamaged)).isEqualTo(1.0);
    }

    @Test
    void heatmapSummariesTable() throws Exception {
        List<Row> scores = spark.read()
                .parquet(OUT + "/image_scores")
                .where("run_date = DATE'2026-11-22' AND frame_number IS NULL")
                .collectAsList();
        Map<String, List<DemoData.Box>> defects = DemoData.defects();
        List<Row> heatmaps = spark.read()
                .parquet(OUT + "/heatmap_summaries")
                .where("run_date = DATE'2026-11-22' AND frame_number IS NULL")
                .collectAsList();
        assertThat(heatmaps).hasSize(53);
        int defectsFound = 0;
        int defectCount = 0;
        for (Row h : heatmaps) {
            String uri = h.getAs("source_uri");
            boolean anomalous = scores.stream()
                    .filter(s -> s.getAs("source_uri").equals(uri))
                    .findFirst()
                    .orElseThrow()
                    .getAs("is_anomalous");
            assertThat(h.<Integer>getAs("grid_width")).isEqualTo(32);
            assertThat(h.<scala.collection.Seq<Object>>getAs("grid").size()).isEqualTo(32 * 32);
            assertThat(h.<Double>getAs("max")).isBetween(h.<Double>getAs("p99"), 1.0);
            assertThat(h.<Double>getAs("p95")).isLessThanOrEqualTo(h.getAs("p99"));
            String overlay = h.getAs("heatmap_uri");
            if (anomalous) {
                assertThat(overlay)
                        .startsWith(OUT + "/heatmaps/run_date=2026-11-22/" + result.runId() + "/pcb-anomaly/")
                        .endsWith(".png");
                byte[] png = s3.blobs()
                        .getBlob(BUCKET, overlay.substring("s3a://plant/".length()))
                        .getPayload()
                        .openStream()
                        .readAllBytes();
                java.awt.image.BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(png));
                assertThat(img.getWidth()).isEqualTo(h.<Integer>getAs("image_width"));
            } else {
                assertThat(overlay).isNull();
            }
            List<Row> blobs = h.getList(h.fieldIndex("blobs"));
            assertThat(blobs.size()).isEqualTo(Math.min(10, h.<Integer>getAs("blob_count")));
            List<DemoData.Box> injected = defects.get(uri.replaceAll(".*/", ""));
            if (injected != null) {
                int w = h.getAs("image_width");
                int ht = h.getAs("image_height");
                for (DemoData.Box d : injected) {
                    defectCount++;
                    if (blobs.stream()
                            .anyMatch(b -> d.intersects(
                                    b.<Double>getAs("left_col") * w,
                                    b.<Double>getAs("top_row") * ht,
                                    b.<Double>getAs("right_col") * w,
                                    b.<Double>getAs("bottom_row") * ht))) {
                        defectsFound++;
                    }
                }
            }
        }
        System.out.printf("Demo anomaly model: blobs on %d of %d defects%n", defectsFound, defectCount);
        assertThat(defectsFound).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * defectCount));
    }

    /** The probability that a damaged board scores above a normal one (ties count half). */
    static double auroc(List<Double> normal, List<Double> damaged) {
        double wins = 0;
        for (double d : damaged) {
            for (double n : normal) {
                wins += d > n ? 1 : d == n ? 0.5 : 0;
            }
        }
        return wins / (normal.size() * damaged.size());
    }

    /**
     * Precision and recall at IoU 0.5 against the boxes the boards were drawn with, asserted on the intact boards: the
     * detector learned parts on intact boards, and on damaged ones it also takes some defects for parts (printed).
     */
    private static void assertDetectionQuality(List<Row> regions) throws Exception {
        Map<String, List<DemoData.Box>> defects = DemoData.defects();
        double[] intact = precisionRecall(regions, file -> !defects.containsKey(file));
        double[] damaged = precisionRecall(regions, defects::containsKey);
        System.out.printf(
                "Demo detector at IoU 0.5: 30 intact boards recall %.3f, precision %.3f;"
                        + " 20 damaged boards recall %.3f, precision %.3f%n",
                intact[1], intact[0], damaged[1], damaged[0]);
        assertThat(intact[1]).isGreaterThanOrEqualTo(0.9);
        assertThat(intact[0]).isGreaterThanOrEqualTo(0.9);
        assertThat(damaged[1]).isGreaterThanOrEqualTo(0.9);
    }

    /** {precision, recall} over the boards whose file name passes the filter. */
    private static double[] precisionRecall(List<Row> regions, java.util.function.Predicate<String> boards)
            throws Exception {
        int truePositives = 0;
        int boxes = 0;
        int found = 0;
        for (Map.Entry<String, List<DemoData.Box>> image : DemoData.labels().entrySet()) {
            if (!boards.test(image.getKey())) {
                continue;
            }
            List<Row> detected = new ArrayList<>(regions.stream()
                    .filter(r -> r.<String>getAs("source_uri").endsWith("/" + image.getKey()))
                    .toList());
            detected.sort((a, b) -> Double.compare(b.<Double>getAs("score"), a.<Double>getAs("score")));
            Set<DemoData.Box> matched = new HashSet<>();
            for (Row r : detected) {
                for (DemoData.Box box : image.getValue()) {
                    if (!matched.contains(box)
                            && box.concept().equals(r.getAs("concept_name"))
                            && box.iou(r.getAs("x_min"), r.getAs("y_min"), r.getAs("x_max"), r.getAs("y_max")) >= 0.5) {
                        matched.add(box);
                        truePositives++;
                        break;
                    }
                }
            }
            boxes += image.getValue().size();
            found += detected.size();
        }
        return new double[] {truePositives / (double) found, truePositives / (double) boxes};
    }
}

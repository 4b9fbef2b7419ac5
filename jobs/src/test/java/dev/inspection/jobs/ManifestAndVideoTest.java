package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inspection.jobs.config.InspectArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/** Manifest inputs with metadata, the other sampling modes, and a real video from outside the project. */
@Tag("spark")
@Tag("video")
class ManifestAndVideoTest {

    /** Real models and media made outside the project, beside it where present. */
    static final Path COMPAT = Path.of("..", "..", "shared", "compat");

    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        spark = LocalSpark.start("ManifestAndVideoTest", 2);
        Files.createDirectories(dir.resolve("drone-7"));
        for (String board : List.of("board-003.jpg", "board-102.jpg", "board-004.jpg")) {
            Files.copy(DemoData.IMAGES.resolve(board), dir.resolve("drone-7").resolve(board));
        }
        DemoVideos.conveyor(dir.resolve("belt.mp4"), false);
        Files.writeString(dir.resolve("drone-7").resolve("notes.txt"), "flight 7, wind 4 m/s\n");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private Path inspect(String runDate, String... extra) throws Exception {
        Path out = dir.resolve("out-" + runDate);
        List<String> args = new java.util.ArrayList<>(
                List.of("--detector", DemoData.DETECTOR.toString(), "--output", out.toString(), "--run-date", runDate));
        args.addAll(List.of(extra));
        new InspectionJob(spark, InspectArgs.parse(args.toArray(String[]::new))).execute();
        return out;
    }

    @Test
    void manifestRowsCarryTheirFrameNumbersAndMetadataToEveryTable() throws Exception {
        Path manifest = dir.resolve("manifest.csv");
        Files.writeString(
                manifest,
                String.join(
                        "\n",
                        "uri,video_id,frame_number,frame_time_ms,site,captured_at",
                        "drone-7/board-003.jpg,drone-7,0,0,roof-A,2026-11-20T10:00:00Z",
                        "drone-7/board-102.jpg,drone-7,30,1000,roof-A,2026-11-20T10:00:01Z",
                        "drone-7/board-004.jpg,drone-7,60,2000,roof-A,2026-11-20T10:00:02Z",
                        DemoData.IMAGES.resolve("board-001.jpg").toUri() + ",,,,line-1,",
                        "belt.mp4,belt-3,,,line-2,",
                        "drone-7/board-004.jpg,drone-7,ninety,3000,roof-A,",
                        ",drone-7,120,4000,roof-A,",
                        "drone-7/missing.jpg,drone-7,150,5000,roof-A,",
                        "drone-7/notes.txt,drone-7,180,6000,roof-A,",
                        ""));
        Path out = inspect("2026-11-20", "--manifest", manifest.toString(), "--every-n-frames", "15");

        List<Row> regions =
                spark.read().parquet(out.resolve("regions").toString()).collectAsList();
        // Frame images: their numbers and times as the manifest gives them, the metadata beside them
        List<Row> drone = regions.stream()
                .filter(r -> "drone-7".equals(r.getAs("video_id")))
                .toList();
        assertThat(drone.stream()
                        .map(r -> tuple(
                                r.getAs("source_uri").toString().replaceAll(".*/", ""),
                                r.getAs("frame_number"),
                                r.getAs("frame_time_ms")))
                        .distinct())
                .containsExactlyInAnyOrder(
                        tuple("board-003.jpg", 0L, 0L),
                        tuple("board-102.jpg", 30L, 1000L),
                        tuple("board-004.jpg", 60L, 2000L));
        assertThat(drone)
                .allSatisfy(r -> assertThat(metadata(r))
                        .containsOnlyKeys("site", "captured_at")
                        .containsEntry("site", "roof-A"));
        // A plain image with its own metadata
        List<Row> plain = regions.stream()
                .filter(r -> r.<String>getAs("source_uri").endsWith("board-001.jpg"))
                .toList();
        assertThat(plain).isNotEmpty().allSatisfy(r -> {
            assertThat(r.<Object>getAs("video_id")).isNull();
            assertThat(r.<Object>getAs("frame_number")).isNull();
            assertThat(metadata(r)).isEqualTo(Map.of("site", "line-1"));
        });
        assertThat(plain).hasSize(DemoData.labels().get("board-001.jpg").size());
        // A video named by the manifest: every 15th frame, numbered and timed from the video
        List<Row> belt = regions.stream()
                .filter(r -> "belt-3".equals(r.getAs("video_id")))
                .toList();
        assertThat(belt.stream()
                        .map(r -> tuple(r.getAs("frame_number"), r.getAs("frame_time_ms")))
                        .distinct())
                .containsExactly(tuple(0L, 0L), tuple(15L, 1500L), tuple(30L, 3000L), tuple(45L, 4500L));
        assertThat(belt).allSatisfy(r -> assertThat(metadata(r)).isEqualTo(Map.of("site", "line-2")));

        List<Row> errors =
                spark.read().parquet(out.resolve("errors").toString()).collectAsList();
        assertThat(errors)
                .extracting(
                        r -> r.<String>getAs("source_uri").replaceAll(".*/", ""),
                        r -> r.getAs("stage"),
                        r -> r.getAs("error_class"))
                .containsExactlyInAnyOrder(
                        tuple("board-004.jpg", "manifest", "BadManifestRow"),
                        tuple("manifest.csv#row=7", "manifest", "MissingUri"),
                        tuple("missing.jpg", "read", "FileNotFoundException"),
                        // A manifest's file of a format the job does not read is an input that fails, not skipped.
                        tuple("notes.txt", "decode", "UnsupportedFormat"));
        assertThat(errors).allSatisfy(r -> assertThat(metadata(r)).containsEntry("site", "roof-A"));
        assertThat(errors.stream().map(r -> r.<String>getAs("message")))
                .anyMatch(m -> m.contains("frame_number must be a whole number >= 0, got 'ninety'"));

        Row run = spark.read().parquet(out.resolve("runs").toString()).first();
        assertThat((String) run.getAs("status")).isEqualTo("SUCCEEDED");
        assertThat((String) run.getAs("sampling")).isEqualTo("every-n-frames=15");
        assertThat((long) run.getAs("inputs_listed")).isEqualTo(9);
        assertThat((long) run.getAs("inputs_unsupported"))
                .as("only files under --input folders")
                .isZero();
        assertThat((long) run.getAs("images_processed")).isEqualTo(4);
        assertThat((long) run.getAs("frames_processed")).isEqualTo(4);
        assertThat((long) run.getAs("inputs_failed")).isEqualTo(4);
    }

    @Test
    void aRunWithMoreFailuresThanAllowedFailsAfterWritingItsTables() throws Exception {
        Path manifest = dir.resolve("half-bad.csv");
        Files.writeString(manifest, "uri\ndrone-7/board-003.jpg\ndrone-7/gone.jpg\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> inspect("2026-11-19", "--manifest", manifest.toString(), "--max-failure-rate", "0.25"))
                .isInstanceOf(InspectionJob.TooManyFailuresException.class)
                .hasMessage("1 of 2 inputs failed (50.0%), more than --max-failure-rate 0.25 allows; see errors/");
        Path out = dir.resolve("out-2026-11-19");
        Row run = spark.read().parquet(out.resolve("runs").toString()).first();
        assertThat((String) run.getAs("status")).isEqualTo("FAILED");
        assertThat((String) run.getAs("message")).startsWith("1 of 2 inputs failed");
        assertThat(spark.read().parquet(out.resolve("errors").toString()).count())
                .isEqualTo(1);
        assertThat(spark.read().parquet(out.resolve("regions").toString()).count())
                .isPositive();

        // The missing photo is uploaded and the night rerun: no errors now, and none left from the first run; the table
        // is still there to query, with no rows for the night.
        Files.copy(DemoData.IMAGES.resolve("board-001.jpg"), dir.resolve("drone-7/gone.jpg"));
        inspect("2026-11-19", "--manifest", manifest.toString(), "--max-failure-rate", "0.25");
        assertThat(spark.read()
                        .parquet(out.resolve("errors/run_date=2026-11-19").toString())
                        .count())
                .isZero();
        assertThat(spark.read()
                        .parquet(out.resolve("regions").toString())
                        .select("source_uri")
                        .distinct()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void keyframesOnlyFromAParquetManifest() throws Exception {
        Path manifest = dir.resolve("manifest.parquet");
        spark.createDataFrame(List.of(new Entry(dir.resolve("belt.mp4").toString(), "north")), Entry.class)
                .write()
                .parquet(manifest.toString());
        Path out = inspect("2026-11-21", "--manifest", manifest.toString(), "--keyframes-only");
        List<Row> scores =
                spark.read().parquet(out.resolve("regions").toString()).collectAsList();
        assertThat(scores.stream()
                        .map(r -> r.<Long>getAs("frame_number"))
                        .distinct()
                        .sorted())
                .containsExactly(0L, 10L, 20L, 30L, 40L, 50L); // a keyframe every second
        assertThat(scores).allSatisfy(r -> assertThat(metadata(r)).isEqualTo(Map.of("gate", "north")));
        assertThat(spark.read().parquet(out.resolve("runs").toString()).first().<String>getAs("sampling"))
                .isEqualTo("keyframes-only");
    }

    /** A row of a Parquet manifest. */
    public static final class Entry implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private String uri;
        private String gate;

        public Entry() {}

        Entry(String uri, String gate) {
            this.uri = uri;
            this.gate = gate;
        }

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public String getGate() {
            return gate;
        }

        public void setGate(String gate) {
            this.gate = gate;
        }
    }

    /**
     * YOLOv8n on a real road-traffic video (H.264 with an audio track, 30.5 s, about 10 fps), split into 10 s segments:
     * 31 frames at 1000 ms, each the first at or after its second, and cars in most of them.
     */
    @Test
    void findsCarsInARealVideo() throws Exception {
        Path out = dir.resolve("out-cars");
        inspectTrafficVideo(out, "2026-11-22");

        Row run = spark.read().parquet(out.resolve("runs").toString()).first();
        assertThat((long) run.getAs("frames_processed")).isEqualTo(31);
        assertThat((long) run.getAs("inputs_failed")).isZero();
        List<Row> cars = spark.read()
                .parquet(out.resolve("regions").toString())
                .where("concept_name = 'car'")
                .select("frame_number", "frame_time_ms")
                .distinct()
                .collectAsList();
        assertThat(cars).allSatisfy(r -> {
            long time = r.getAs("frame_time_ms");
            assertThat(time % 1000).isLessThan(110); // the first frame at or after a whole second, at about 10 fps
        });
        long seconds = cars.stream()
                .map(r -> r.<Long>getAs("frame_time_ms") / 1000)
                .distinct()
                .count();
        System.out.printf("YOLOv8n on cars-480x360.mp4: cars in %d of 31 sampled frames%n", seconds);
        assertThat(seconds).isGreaterThanOrEqualTo(25);
    }

    /**
     * The same video tracked (--track: every 100 ms, so each of its about 300 frames) in 10 s segments: cars become
     * tracks that each span several frames, the regions of a track carry its id, and no input fails, though many
     * detections belong to no track (a track's first, a lone low-score box).
     */
    @Test
    void tracksCarsThroughARealVideoInSegments() throws Exception {
        Path out = dir.resolve("out-cars-tracked");
        InspectionJob.Result result = inspectTrafficVideo(out, "2026-11-23", "--track");

        assertThat(result.inputsFailed()).isZero();
        assertThat(result.framesProcessed()).isGreaterThan(250);
        List<Row> cars = spark.read()
                .parquet(out.resolve("tracks").toString())
                .where("concept_name = 'car'")
                .collectAsList();
        long untracked = spark.read()
                .parquet(out.resolve("regions").toString())
                .where("track_id IS NULL")
                .count();
        long longCars =
                cars.stream().filter(t -> t.<Integer>getAs("detections") >= 5).count();
        System.out.printf(
                "YOLOv8n tracking cars-480x360.mp4: %d car tracks, %d of 5 frames or more; %d regions in no track%n",
                cars.size(), longCars, untracked);
        assertThat(cars).isNotEmpty();
        assertThat(longCars).as("car tracks of 5 frames or more").isGreaterThanOrEqualTo(cars.size() / 2);
        assertThat(untracked)
                .as("detections in no track: a track's first, lone boxes")
                .isPositive();
        Map<String, Long> regionsPerTrack = new java.util.HashMap<>();
        spark.read()
                .parquet(out.resolve("regions").toString())
                .where("track_id IS NOT NULL")
                .groupBy("track_id")
                .count()
                .collectAsList()
                .forEach(r -> regionsPerTrack.put(r.getString(0), r.getLong(1)));
        assertThat(cars)
                .allSatisfy(t -> assertThat(regionsPerTrack.get(t.<String>getAs("track_id")))
                        .as("regions of track %s", t.<String>getAs("track_id"))
                        .isEqualTo((long) t.<Integer>getAs("detections")));
    }

    /** YOLOv8n on the compat traffic video in 10 s segments; skips where ../shared/compat is absent. */
    private static InspectionJob.Result inspectTrafficVideo(Path out, String date, String... more) throws Exception {
        Path model = COMPAT.resolve("models/yolov8n-int8-640.onnx");
        Path video = COMPAT.resolve("video/cars-480x360.mp4");
        assumeTrue(Files.exists(model) && Files.exists(video), "../shared/compat is absent");
        List<String> args = new java.util.ArrayList<>(List.of(
                "--input", video.toString(),
                "--detector", model.toString(),
                "--output", out.toString(),
                "--run-date", date,
                "--video-segment-s", "10"));
        args.addAll(List.of(more));
        return new InspectionJob(spark, InspectArgs.parse(args.toArray(String[]::new))).execute();
    }

    private static Map<String, String> metadata(Row r) {
        return CollectionConverters.asJava(r.<scala.collection.Map<String, String>>getAs("metadata"));
    }
}

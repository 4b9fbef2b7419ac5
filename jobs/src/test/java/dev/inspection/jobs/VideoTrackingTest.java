package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.image.ImageDecoder;
import dev.inspection.image.RgbImage;
import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.video.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --track}: a demo board slides across a conveyor camera's view, so each of its parts is one object whose box
 * is known on every frame; a still photo beside the video is not tracked. A longer video of the board, one of its parts
 * hidden on the frames just before a segment border, gives the same tracks cut into 3 s segments as in one piece.
 */
@Tag("spark")
@Tag("video")
class VideoTrackingTest {

    static final String BOARD = "board-001.jpg";
    static final int WIDTH = 560;
    static final int HEIGHT = 400;
    static final int FPS = 10;
    static final int SECONDS = 4;
    /** Pixels the board moves right from one frame to the next. */
    static final int STEP = 4;

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path out;
    static List<DemoData.Box> parts;

    @BeforeAll
    static void inspect() throws Exception {
        spark = LocalSpark.start("VideoTrackingTest", 2);
        parts = DemoData.labels().get(BOARD);
        Path input = Files.createDirectories(dir.resolve("line-4"));
        slidingBoard(input.resolve("slide.mp4"));
        Files.copy(DemoData.IMAGES.resolve("board-003.jpg"), input.resolve("board-003.jpg"));
        out = dir.resolve("out");
        run("2026-12-01");
        run("2026-12-02");
        run(SEGMENTED, "--video-segment-s", "1");
        Path longer = Files.createDirectories(dir.resolve("line-5"));
        slidingBoard(longer.resolve("slow.mp4"), LONG_SECONDS, LONG_STEP, true);
        run(longer, LONG_WHOLE);
        run(longer, LONG_SEGMENTED, "--video-segment-s", "3");
        Path manifest = frameImages(Files.createDirectories(dir.resolve("frames")));
        run(List.of("--manifest", manifest.toString()), FRAMES_WHOLE);
        run(List.of("--manifest", manifest.toString()), FRAMES_IN_PARTS, "--video-segment-s", "1");
    }

    /** The runs on the sliding board's frames as JPEG files a manifest names, in one part and in parts of 1 s. */
    static final String FRAMES_WHOLE = "2026-12-06";

    static final String FRAMES_IN_PARTS = "2026-12-07";
    static final String FRAMES_VIDEO_ID = "belt-4/slide";

    /** The sliding board's frames as JPEG files, and a manifest naming each with its video, number and time. */
    static Path frameImages(Path folder) throws Exception {
        StringBuilder csv = new StringBuilder("uri,video_id,frame_number,frame_time_ms\n");
        for (int i = SECONDS * FPS - 1; i >= 0; i--) { // in no order: the planner puts them in frame order
            RgbImage frame = boardFrame(i, STEP, false);
            java.awt.image.BufferedImage image =
                    new java.awt.image.BufferedImage(WIDTH, HEIGHT, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    int[] p = frame.pixel(x, y);
                    image.setRGB(x, y, (p[0] << 16) | (p[1] << 8) | p[2]);
                }
            }
            String name = String.format("slide-%03d.jpg", i);
            javax.imageio.ImageIO.write(image, "jpg", folder.resolve(name).toFile());
            csv.append(name + "," + FRAMES_VIDEO_ID + "," + i + "," + i * 1000 / FPS + "\n");
        }
        Path manifest = folder.resolve("frames.csv");
        Files.writeString(manifest, csv);
        return manifest;
    }

    /** The longer video: 8 s, the board moving 2 px a frame, so it stays in view; borders at 3 s and 6 s. */
    static final int LONG_SECONDS = 8;

    static final int LONG_STEP = 2;
    /** The part hidden on {@link #HIDDEN_FRAMES}, the 4 frames before the border at frame 30. */
    static final int HIDDEN_PART = 0;

    static final List<Integer> HIDDEN_FRAMES = List.of(26, 27, 28, 29);
    static final String LONG_WHOLE = "2026-12-04";
    static final String LONG_SEGMENTED = "2026-12-05";

    /** The run that cuts the video into segments of 1 s: a border every 10 frames, each part in view across it. */
    static final String SEGMENTED = "2026-12-03";

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static void run(String runDate, String... extra) throws Exception {
        run(dir.resolve("line-4"), runDate, extra);
    }

    static void run(Path input, String runDate, String... extra) throws Exception {
        run(List.of("--input", input.toString()), runDate, extra);
    }

    static void run(List<String> inputs, String runDate, String... extra) throws Exception {
        List<String> args = new ArrayList<>(inputs);
        args.addAll(List.of(
                "--detector",
                DemoData.DETECTOR.toString(),
                "--output",
                out.toString(),
                "--run-date",
                runDate,
                "--track"));
        args.addAll(List.of(extra));
        new InspectionJob(spark, InspectArgs.parse(args.toArray(String[]::new))).execute();
    }

    /** H.264 at 10 fps, a keyframe every second: on frame i the board's left edge is at {@code STEP * i}. */
    static void slidingBoard(Path file) throws Exception {
        slidingBoard(file, SECONDS, STEP, false);
    }

    /**
     * H.264 at 10 fps, a keyframe every second: on frame i the board's left edge is at {@code step * i}; with {@code
     * hide}, {@link #HIDDEN_PART} painted over with the background on {@link #HIDDEN_FRAMES}.
     */
    static void slidingBoard(Path file, int seconds, int step, boolean hide) throws Exception {
        TestVideos.write(
                file,
                TestVideos.Encoding.H264.withTimeBase(FPS).withGop(FPS),
                WIDTH,
                HEIGHT,
                TestVideos.constantRate(seconds * FPS, FPS),
                i -> boardFrame(i, step, hide));
    }

    /** Frame i of the sliding board. */
    static RgbImage boardFrame(int i, int step, boolean hide) {
        RgbImage board;
        try {
            board = new ImageDecoder(100_000_000).decode(Files.readAllBytes(DemoData.IMAGES.resolve(BOARD)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        int[] background = board.pixel(0, 0);
        byte[] rgb = new byte[WIDTH * HEIGHT * 3];
        for (int p = 0; p < WIDTH * HEIGHT; p++) {
            for (int c = 0; c < 3; c++) {
                rgb[3 * p + c] = (byte) background[c];
            }
        }
        int x0 = step * i;
        for (int y = 0; y < board.height(); y++) {
            System.arraycopy(board.rgb(), y * board.width() * 3, rgb, (y * WIDTH + x0) * 3, board.width() * 3);
        }
        if (hide && HIDDEN_FRAMES.contains(i)) {
            DemoData.Box b = parts.get(HIDDEN_PART);
            for (int y = (int) b.yMin() - 5; y < (int) b.yMax() + 5; y++) {
                for (int x = x0 + (int) b.xMin() - 5; x < x0 + (int) b.xMax() + 5; x++) {
                    for (int c = 0; c < 3; c++) {
                        rgb[3 * (y * WIDTH + x) + c] = (byte) background[c];
                    }
                }
            }
        }
        return new RgbImage(WIDTH, HEIGHT, rgb);
    }

    static List<Row> table(String name, String runDate) {
        return spark.read()
                .parquet(out.resolve(name).toString())
                .where("run_date = '" + runDate + "'")
                .collectAsList();
    }

    /** The part a region lies on: the index of the label whose moved box it overlaps most, if by IoU >= 0.5; or -1. */
    static int partOf(Row region) {
        int step = region.<String>getAs("source_uri").endsWith("slow.mp4") ? LONG_STEP : STEP;
        double shift = step * region.<Long>getAs("frame_number");
        int best = -1;
        double bestIou = 0.5;
        for (int i = 0; i < parts.size(); i++) {
            DemoData.Box b = parts.get(i);
            double iou = new DemoData.Box(b.concept(), b.xMin() + shift, b.yMin(), b.xMax() + shift, b.yMax())
                    .iou(region.getAs("x_min"), region.getAs("y_min"), region.getAs("x_max"), region.getAs("y_max"));
            if (iou >= bestIou) {
                best = i;
                bestIou = iou;
            }
        }
        return best;
    }

    static List<Row> videoRegions(String runDate) {
        return table("regions", runDate).stream()
                .filter(r -> r.<String>getAs("source_uri").endsWith("slide.mp4"))
                .toList();
    }

    @Test
    void eachPartOfTheBoardIsOneTrack() {
        eachPartIsOneTrack("2026-12-01");
    }

    private static void eachPartIsOneTrack(String runDate) {
        List<Row> tracks = table("tracks", runDate);
        assertThat(tracks).as("one track per part").hasSize(parts.size());
        Map<String, Set<Integer>> partsPerTrack = new HashMap<>();
        for (Row r : videoRegions(runDate)) {
            String track = r.getAs("track_id");
            if (track != null) {
                partsPerTrack.computeIfAbsent(track, k -> new HashSet<>()).add(partOf(r));
            }
        }
        assertThat(partsPerTrack.keySet())
                .as("the tracks the regions name")
                .isEqualTo(tracks.stream().map(r -> r.<String>getAs("track_id")).collect(Collectors.toSet()));
        assertThat(partsPerTrack.values())
                .as("each track's boxes lie on one part")
                .allSatisfy(p -> assertThat(p).hasSize(1).doesNotContain(-1));
        assertThat(partsPerTrack.values().stream().map(p -> p.iterator().next()))
                .as("every part is tracked, each once")
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, parts.size())
                        .boxed()
                        .toList());
    }

    /**
     * The date's tracked video exported for MOTChallenge tools: a line per tracked region, frames from 1, in frame
     * order, each track one MOT id, and the ids' tracks named beside.
     */
    @Test
    void theMotExportOfTheTrackedVideoHasALinePerTrackedRegion() throws Exception {
        Path to = dir.resolve("mot");
        assertThat(ExportJob.run(new String[] {
                    "--output",
                    out.toUri().toString(),
                    "--run-date",
                    "2026-12-01",
                    "--format",
                    "mot",
                    "--to",
                    to.toUri().toString()
                }))
                .isZero();
        List<String> lines = Files.readAllLines(to.resolve("pcb-detector/slide.txt"));
        Map<Integer, String> tracks = new HashMap<>();
        List<String> mapping = Files.readAllLines(to.resolve("pcb-detector/slide.tracks.csv"));
        assertThat(mapping.get(0)).isEqualTo("mot_id,track_id");
        mapping.subList(1, mapping.size()).forEach(l -> tracks.put(Integer.parseInt(l.split(",")[0]), l.split(",")[1]));
        assertThat(tracks.keySet())
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, parts.size())
                        .boxed()
                        .collect(Collectors.toSet()));
        Map<String, double[]> exported = new HashMap<>(); // frame and track: the box's corner
        long previousFrame = 0;
        for (String line : lines) {
            String[] f = line.split(",");
            assertThat(f).hasSize(10);
            assertThat(List.of(f[7], f[8], f[9])).containsOnly("-1");
            assertThat(Long.parseLong(f[0])).isGreaterThanOrEqualTo(previousFrame);
            previousFrame = Long.parseLong(f[0]);
            exported.put(
                    (Long.parseLong(f[0]) - 1) + " " + tracks.get(Integer.parseInt(f[1])),
                    new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
        }
        Map<String, double[]> tracked = new HashMap<>();
        for (Row r : videoRegions("2026-12-01")) {
            if (r.getAs("track_id") != null) {
                tracked.put(
                        r.getAs("frame_number") + " " + r.getAs("track_id"),
                        new double[] {r.getAs("x_min"), r.getAs("y_min")});
            }
        }
        assertThat(exported).hasSize(lines.size());
        assertThat(exported.keySet()).isEqualTo(tracked.keySet());
        tracked.forEach((key, corner) -> assertThat(exported.get(key))
                .as(key)
                .containsExactly(corner, org.assertj.core.data.Offset.offset(0.006)));
    }

    /** The date's report counts each concept's objects as its tracks, and shows each object at its best frame. */
    @Test
    void theReportCountsObjectsAsTracksAndShowsEachAtItsBestFrame() throws Exception {
        assertThat(ReportJob.run(new String[] {"--output", out.toUri().toString(), "--run-date", "2026-12-01"}))
                .isZero();
        String html = Files.readString(out.resolve("reports/run_date=2026-12-01/index.html"));
        Map<String, Long> tracksPerConcept = table("tracks", "2026-12-01").stream()
                .collect(Collectors.groupingBy(r -> r.<String>getAs("concept_name"), Collectors.counting()));
        java.util.regex.Matcher row = java.util.regex.Pattern.compile(
                        "data-concept=\"([^\"]+)\">[\\d,]+</td><td class=\"n\">[\\d,]+</td><td class=\"n\">(\\d+)</td>")
                .matcher(html);
        Map<String, Long> shown = new HashMap<>();
        while (row.find()) {
            shown.put(row.group(1), Long.parseLong(row.group(2)));
        }
        assertThat(shown).as("objects per concept in the report").isEqualTo(tracksPerConcept);
        assertThat(html.split("each object at its best frame", -1)).hasSize(tracksPerConcept.size() + 1);
        assertThat(html)
                .contains("object " + table("tracks", "2026-12-01").get(0).getAs("track_id"));
    }

    @Test
    void aVideoCutIntoSegmentsGivesTheTracksOfTheVideoInOnePiece() {
        assertThat(videoRegions(SEGMENTED).stream()
                        .map(r -> r.<Long>getAs("frame_number"))
                        .distinct())
                .as("every frame inspected once")
                .hasSize(SECONDS * FPS);
        eachPartIsOneTrack(SEGMENTED);
        Map<String, Long> detections = new HashMap<>();
        table("tracks", SEGMENTED)
                .forEach(t -> detections.put(t.getAs("track_id"), (long) t.<Integer>getAs("detections")));
        Map<String, Long> regions = videoRegions(SEGMENTED).stream()
                .filter(r -> r.getAs("track_id") != null)
                .collect(Collectors.groupingBy(r -> r.<String>getAs("track_id"), Collectors.counting()));
        assertThat(regions).as("a joined track's regions, every segment's").isEqualTo(detections);
        assertThat(table("tracks", SEGMENTED))
                .as("joined tracks end on the video's last frame")
                .allSatisfy(t -> assertThat(t.<Long>getAs("last_frame_number")).isEqualTo((long) SECONDS * FPS - 1));
    }

    @Test
    void aVideoCutInto3sSegmentsGivesTheSameTracksAsInOnePieceAPartHiddenBeforeABorderToo() {
        List<Row> regions = table("regions", LONG_WHOLE);
        assertThat(regions.stream()
                        .filter(r -> partOf(r) == HIDDEN_PART)
                        .map(r -> r.<Long>getAs("frame_number").intValue()))
                .as("the hidden part is not found on the frames it is hidden on")
                .doesNotContainAnyElementsOf(HIDDEN_FRAMES);
        Set<String> hiddenPartTracks = regions.stream()
                .filter(r -> partOf(r) == HIDDEN_PART && r.getAs("track_id") != null)
                .map(r -> r.<String>getAs("track_id"))
                .collect(Collectors.toSet());
        assertThat(hiddenPartTracks)
                .as("in one piece, the hidden part is one track")
                .hasSize(1);
        assertThat(trackSpans(LONG_SEGMENTED))
                .as("each track's id, first and last frames, frames with a box and class")
                .hasSize(parts.size())
                .isEqualTo(trackSpans(LONG_WHOLE));
        assertThat(regionTracks(table("regions", LONG_SEGMENTED)))
                .as("each region's track")
                .isEqualTo(regionTracks(regions));
        assertThat(table("runs", LONG_SEGMENTED).get(0).<Long>getAs("frames_processed"))
                .as("frames processed: the look-backs' not counted again")
                .isEqualTo((long) LONG_SECONDS * FPS);
    }

    private static Set<List<Object>> trackSpans(String runDate) {
        return table("tracks", runDate).stream()
                .map(t -> List.<Object>of(
                        t.getAs("track_id"),
                        t.getAs("first_frame_number"),
                        t.getAs("last_frame_number"),
                        t.getAs("detections"),
                        t.getAs("best_frame_number"),
                        t.getAs("concept_name")))
                .collect(Collectors.toSet());
    }

    @Test
    void aManifestsFrameImagesOfAVideoAreTrackedAsTheVideoIs() {
        Map<Integer, List<Object>> video = spansByPart(videoRegions("2026-12-01"), table("tracks", "2026-12-01"));
        for (String run : List.of(FRAMES_WHOLE, FRAMES_IN_PARTS)) {
            List<Row> regions = table("regions", run).stream()
                    .filter(r -> FRAMES_VIDEO_ID.equals(r.getAs("video_id")))
                    .toList();
            List<Row> tracks = table("tracks", run);
            assertThat(tracks).as(run + ": one track per part").hasSize(parts.size());
            assertThat(tracks)
                    .as(run + ": of the frames' video")
                    .allSatisfy(t -> assertThat(t.<String>getAs("video_id")).isEqualTo(FRAMES_VIDEO_ID));
            assertThat(spansByPart(regions, tracks))
                    .as(run + ": each part's track's first and last frames and frames with a box, as the video's")
                    .isEqualTo(video);
        }
    }

    /** Each part's track: its first and last frame numbers and detections; the regions name the part of a track. */
    private static Map<Integer, List<Object>> spansByPart(List<Row> regions, List<Row> tracks) {
        Map<String, Integer> partOfTrack = new HashMap<>();
        regions.stream()
                .filter(r -> r.getAs("track_id") != null)
                .forEach(r -> partOfTrack.put(r.getAs("track_id"), partOf(r)));
        Map<Integer, List<Object>> spans = new HashMap<>();
        for (Row t : tracks) {
            spans.put(
                    partOfTrack.get(t.<String>getAs("track_id")),
                    List.of(t.getAs("first_frame_number"), t.getAs("last_frame_number"), t.getAs("detections")));
        }
        return spans;
    }

    @Test
    void aTrackRowSaysWhatWasTrackedAndWhen() {
        Map<String, List<Row>> regionsPerTrack = videoRegions("2026-12-01").stream()
                .filter(r -> r.getAs("track_id") != null)
                .collect(Collectors.groupingBy(r -> r.<String>getAs("track_id")));
        for (Row t : table("tracks", "2026-12-01")) {
            List<Row> regions = regionsPerTrack.get(t.<String>getAs("track_id"));
            DemoData.Box part = parts.get(partOf(regions.get(0)));
            String id = t.getAs("track_id");
            assertThat(t.<String>getAs("video_id")).as(id).endsWith("slide.mp4");
            assertThat(t.<Object>getAs("frame_number")).as(id).isNull();
            assertThat(t.<String>getAs("concept_name")).as(id).isEqualTo(part.concept());
            assertThat(t.<Integer>getAs("detections")).as(id).isEqualTo(regions.size());
            assertThat(t.<Long>getAs("first_frame_number"))
                    .as(id)
                    .isEqualTo(regions.stream()
                            .mapToLong(r -> r.getAs("frame_number"))
                            .min()
                            .orElseThrow());
            assertThat(t.<Long>getAs("last_frame_number")).as(id).isEqualTo((long) SECONDS * FPS - 1);
            assertThat(t.<Long>getAs("last_time_ms")).as(id).isEqualTo(100L * (SECONDS * FPS - 1));
            assertThat(t.<Long>getAs("first_time_ms")).as(id).isEqualTo(100 * t.<Long>getAs("first_frame_number"));
            double best =
                    regions.stream().mapToDouble(r -> r.getAs("score")).max().orElseThrow();
            assertThat(t.<Double>getAs("best_score")).as(id).isEqualTo(best);
            Row bestRegion = regions.stream()
                    .filter(r -> r.<Double>getAs("score") == best)
                    .findFirst()
                    .orElseThrow();
            assertThat(t.<Double>getAs("x_min")).as(id).isEqualTo(bestRegion.<Double>getAs("x_min"));
            assertThat(t.<Double>getAs("left_col")).as(id).isEqualTo(bestRegion.<Double>getAs("left_col"));
            assertThat(t.<Long>getAs("best_frame_number")).as(id).isEqualTo(bestRegion.<Long>getAs("frame_number"));
        }
    }

    @Test
    void aRerunGivesTheSameTracksAndIds() {
        assertThat(tracksWithoutRun("2026-12-02")).isEqualTo(tracksWithoutRun("2026-12-01"));
        assertThat(regionTracks("2026-12-02")).isEqualTo(regionTracks("2026-12-01"));
    }

    @Test
    void aStillImageIsNotTracked() {
        List<Row> still = table("regions", "2026-12-01").stream()
                .filter(r -> r.<String>getAs("source_uri").endsWith("board-003.jpg"))
                .toList();
        assertThat(still)
                .as("the photo's regions")
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.<Object>getAs("track_id")).isNull());
        assertThat(table("tracks", "2026-12-01"))
                .noneMatch(t -> t.<String>getAs("source_uri").endsWith("board-003.jpg"));
    }

    @Test
    void theRunRecordsItsTrackingAndSamplesEvery100Ms() {
        Row run = table("runs", "2026-12-01").get(0);
        assertThat(run.<String>getAs("tracking"))
                .isEqualTo("bytetrack,track_high_thresh=0.25,track_low_thresh=0.1,new_track_thresh=0.25,"
                        + "track_buffer=30,match_thresh=0.8,fuse_score=true");
        assertThat(run.<String>getAs("sampling")).isEqualTo("sample-ms=100");
        assertThat(run.<Long>getAs("frames_processed")).isEqualTo((long) SECONDS * FPS);
    }

    private static Set<List<Object>> tracksWithoutRun(String runDate) {
        return table("tracks", runDate).stream()
                .map(r -> {
                    List<Object> values = new ArrayList<>();
                    for (String f : r.schema().fieldNames()) {
                        if (!f.equals("run_id") && !f.equals("run_date") && !f.equals("metadata")) {
                            values.add(r.getAs(f));
                        }
                    }
                    return values;
                })
                .collect(Collectors.toSet());
    }

    private static Map<String, String> regionTracks(String runDate) {
        return regionTracks(videoRegions(runDate));
    }

    private static Map<String, String> regionTracks(List<Row> regions) {
        Map<String, String> ids = new HashMap<>();
        regions.forEach(r -> ids.put(r.getAs("region_id"), r.getAs("track_id")));
        return ids;
    }
}

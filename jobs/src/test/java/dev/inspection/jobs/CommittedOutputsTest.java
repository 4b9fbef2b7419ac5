package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.inspection.jobs.config.InspectArgs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run date shows on a local filesystem: overlays that belong to the date's commit, results kept when an overlay
 * cannot be written, an output checked before any work, every table there to query after any run, and file names as
 * cameras write them.
 */
@Tag("spark")
class CommittedOutputsTest {

    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("CommittedOutputsTest", 2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static InspectionJob.Result inspect(Path input, Path out, String... models) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--input",
                input.toString(),
                "--output",
                out.toString(),
                "--run-date",
                "2026-12-01",
                "--batch-size",
                "2"));
        args.addAll(List.of(models));
        return new InspectionJob(spark, InspectArgs.parse(args.toArray(String[]::new))).execute();
    }

    private static final String[] ANOMALY = {"--anomaly", DemoData.ANOMALY_MODEL.toString()};
    private static final String[] BOTH = {
        "--detector", DemoData.DETECTOR.toString(), "--anomaly", DemoData.ANOMALY_MODEL.toString()
    };

    private static Path boards(String name, String... files) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        for (String file : files) {
            Files.copy(DemoData.IMAGES.resolve(file), folder.resolve(file));
        }
        return folder;
    }

    private static List<Row> table(Path out, String table) {
        return spark.read()
                .parquet(out.resolve(table).toString())
                .where("run_date = DATE'2026-12-01'")
                .collectAsList();
    }

    /** The overlay files of the date, as URIs (without the hidden checksum files of Hadoop's local filesystem). */
    private static Set<String> overlayFiles(Path out) throws Exception {
        Path date = out.resolve("heatmaps/run_date=2026-12-01");
        if (!Files.exists(date)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(date)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .map(p -> "file:" + p)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> overlaysNamed(Path out) {
        return table(out, "heatmap_summaries").stream()
                .map(r -> r.<String>getAs("heatmap_uri"))
                .filter(java.util.Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aRerunAfterAnImageTurnedNormalLeavesExactlyTheOverlaysItsRowsName() throws Exception {
        Path input = boards("rerun", "board-101.jpg", "board-102.jpg", "board-103.jpg", "board-001.jpg");
        Path out = dir.resolve("rerun-out");
        inspect(input, out, ANOMALY);
        List<String> anomalous = table(out, "image_scores").stream()
                .filter(r -> r.<Boolean>getAs("is_anomalous"))
                .map(r -> r.<String>getAs("source_uri"))
                .sorted()
                .toList();
        assertThat(anomalous).as("the damaged boards the model flags").hasSizeGreaterThanOrEqualTo(2);
        assertThat(overlayFiles(out))
                .as("overlays after the first run")
                .hasSize(anomalous.size())
                .isEqualTo(overlaysNamed(out));

        // One flagged board is replaced by a normal one under the same name, and the night is run again.
        Path replaced = Path.of(java.net.URI.create(anomalous.get(0)));
        Files.copy(
                DemoData.IMAGES.resolve("board-001.jpg"), replaced, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        InspectionJob.Result rerun = inspect(input, out, ANOMALY);

        assertThat(overlaysNamed(out))
                .as("overlays the rerun's rows name")
                .hasSize(anomalous.size() - 1)
                .allSatisfy(uri -> assertThat(uri).contains("/" + rerun.runId() + "/"));
        assertThat(overlayFiles(out))
                .as("overlay files of the date after the rerun")
                .isEqualTo(overlaysNamed(out));
    }

    @Test
    void aDriverDeadBetweenTheTablesCommitAndTheOverlaysLeavesEveryNamedOverlayAndTheNextRunCleansTheRest()
            throws Exception {
        Path input = boards("crash", "board-101.jpg", "board-102.jpg", "board-103.jpg");
        Path out = dir.resolve("crash-out");
        InspectionJob.Result first = inspect(input, out, ANOMALY);
        Set<String> firstOverlays = overlayFiles(out);
        assertThat(firstOverlays).isNotEmpty().isEqualTo(overlaysNamed(out));

        var hadoop = spark.sparkContext().hadoopConfiguration();
        hadoop.set("fs.file.impl", CrashingFileSystem.class.getName());
        hadoop.setBoolean("fs.file.impl.disable.cache", true);
        try {
            assertThatThrownBy(() -> inspect(input, out, ANOMALY)).hasStackTraceContaining("simulated crash");
        } finally {
            hadoop.unset("fs.file.impl");
            hadoop.unset("fs.file.impl.disable.cache");
            CrashingFileSystem.revive();
        }
        // The dead run's rows are committed and name its overlays, every one there; the first run's are left over.
        Set<String> named = overlaysNamed(out);
        assertThat(named).hasSameSizeAs(firstOverlays).noneMatch(uri -> uri.contains("/" + first.runId() + "/"));
        Set<String> left = new TreeSet<>(overlayFiles(out));
        assertThat(left).containsAll(named);
        left.removeAll(named);
        assertThat(left).isEqualTo(firstOverlays);

        InspectionJob.Result next = inspect(input, out, ANOMALY);
        assertThat(overlaysNamed(out)).allSatisfy(uri -> assertThat(uri).contains("/" + next.runId() + "/"));
        assertThat(overlayFiles(out)).isEqualTo(overlaysNamed(out));
    }

    @Test
    void anOverlayThatCannotBeWrittenKeepsThePicturesScoresAndGivesOneWriteError() throws Exception {
        Path input = boards("unwritable-overlays", "board-101.jpg", "board-001.jpg");
        Path out = Files.createDirectories(dir.resolve("unwritable-overlays-out"));
        Files.writeString(out.resolve("heatmaps"), "a file where the overlays should go");
        InspectionJob.Result result = inspect(input, out, ANOMALY);

        List<Row> scores = table(out, "image_scores");
        assertThat(scores).as("both boards keep their scores").hasSize(2);
        List<String> anomalous = scores.stream()
                .filter(r -> r.<Boolean>getAs("is_anomalous"))
                .map(r -> r.<String>getAs("source_uri"))
                .toList();
        assertThat(anomalous).as("the damaged board").singleElement().asString().endsWith("board-101.jpg");
        assertThat(table(out, "heatmap_summaries"))
                .as("its summary, without an overlay")
                .extracting(r -> r.getAs("source_uri"), r -> r.getAs("heatmap_uri"))
                .containsExactlyInAnyOrder(
                        tuple(anomalous.get(0), null),
                        tuple(
                                scores.stream()
                                        .filter(r -> !r.<Boolean>getAs("is_anomalous"))
                                        .findFirst()
                                        .orElseThrow()
                                        .getAs("source_uri"),
                                null));
        assertThat(table(out, "errors"))
                .as("one write error, for the damaged board")
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.<String>getAs("source_uri")).isEqualTo(anomalous.get(0));
                    assertThat(e.<String>getAs("stage")).isEqualTo("write");
                    assertThat(e.<String>getAs("message"))
                            .startsWith("the heatmap overlay of pcb-anomaly cannot be written: ");
                });
        assertThat(result.imagesProcessed()).isEqualTo(2);
        assertThat(result.inputsFailed()).isEqualTo(1);
    }

    @Test
    void anOutputThatCannotBeWrittenStopsTheRunBeforeListingWithExit3() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "a file");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = InspectionJob.run(new String[] {
                "--input",
                dir.resolve("no-such-input").toString(),
                "--detector",
                DemoData.DETECTOR.toString(),
                "--output",
                file.resolve("out").toString()
            });
        } finally {
            System.setErr(old);
        }
        assertThat(exit).isEqualTo(InspectionJob.EXIT_UNREACHABLE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .as("the output is named, and the input, which does not exist either, was never listed")
                .startsWith("error: --output " + file.resolve("out") + " cannot be written: ")
                .doesNotContain("no-such-input");
        assertThat(spark.sparkContext().isStopped())
                .as("no session was started or stopped")
                .isFalse();
    }

    @Test
    void everyTableOfARunIsThereToQueryAfterANightWithoutErrorsAndAfterAnEmptyInput() throws Exception {
        Path clean = dir.resolve("clean-out");
        inspect(boards("clean", "board-001.jpg", "board-002.jpg"), clean, BOTH);
        Path empty = dir.resolve("empty-out");
        inspect(Files.createDirectories(dir.resolve("empty")), empty, BOTH);

        List<String> tables =
                List.of("regions", "tracks", "image_scores", "heatmap_summaries", "errors", "processed_inputs", "runs");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            for (String table : tables) {
                assertThat(count(duck, clean, table))
                        .as("%s after a clean night", table)
                        .isEqualTo(
                                switch (table) {
                                    case "errors", "tracks" -> 0L; // no videos, no tracks
                                    case "runs" -> 1L;
                                    case "regions" ->
                                        (long) table(clean, "regions").size();
                                    default -> 2L;
                                });
                assertThat(count(duck, empty, table))
                        .as("%s after an empty input", table)
                        .isEqualTo(table.equals("runs") ? 1L : 0L);
            }
            assertThat(columns(duck, empty, "errors"))
                    .as("the errors table's columns, though it has no rows")
                    .containsExactly(
                            "run_id",
                            "source_uri",
                            "video_id",
                            "frame_number",
                            "frame_time_ms",
                            "metadata",
                            "stage",
                            "error_class",
                            "message",
                            "run_date");
        }
        assertThat(spark.read().parquet(empty.resolve("regions").toString()).columns())
                .as("Spark reads it too")
                .contains("region_id", "run_date");
    }

    private static long count(Connection duck, Path out, String table) throws Exception {
        try (ResultSet r = duck.createStatement()
                .executeQuery("select count(*) from read_parquet('" + out.resolve(table)
                        + "/**/*.parquet', hive_partitioning = true)")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static List<String> columns(Connection duck, Path out, String table) throws Exception {
        List<String> columns = new ArrayList<>();
        try (ResultSet r = duck.createStatement()
                .executeQuery("describe select * from read_parquet('" + out.resolve(table)
                        + "/**/*.parquet', hive_partitioning = true)")) {
            while (r.next()) {
                columns.add(r.getString(1));
            }
        }
        return columns;
    }

    @Test
    void fileNamesWithAColonASpaceAHashAndAPercentAreInspected() throws Exception {
        Path input = Files.createDirectories(dir.resolve("camera names"));
        Files.createDirectories(input.resolve("site:7"));
        List<Path> files = List.of(
                input.resolve("cam_2026-12-01T10:00:00.jpg"),
                input.resolve("board #2 (100%).jpg"),
                input.resolve("site:7/lot%41 10:30.jpg"));
        for (Path file : files) {
            Files.copy(DemoData.IMAGES.resolve("board-001.jpg"), file);
        }
        Path out = dir.resolve("names-out");
        InspectionJob.Result result = inspect(input, out, "--detector", DemoData.DETECTOR.toString());

        assertThat(table(out, "errors")).as("errors").isEmpty();
        assertThat(result.imagesProcessed()).isEqualTo(3);
        assertThat(table(out, "regions").stream()
                        .map(r -> r.<String>getAs("source_uri"))
                        .distinct())
                .as("every file's regions, under its own name")
                .containsExactlyInAnyOrderElementsOf(
                        files.stream().map(f -> "file:" + f).toList());
    }

    @Test
    void noFileIsSkippedSilentlyAHeicPhotoEndsInErrorsAndANotesFileIsCounted() throws Exception {
        Path input = boards("iphone", "board-001.jpg");
        Files.copy(
                Path.of("..", "common", "src", "test", "resources", "images", "photo.heic"),
                input.resolve("IMG_0042.HEIC"));
        Files.createDirectories(input.resolve("flight-1"));
        Files.writeString(input.resolve("flight-1/notes.txt"), "wind 4 m/s\n"); // listed by an executor
        Files.writeString(input.resolve("_SUCCESS"), ""); // a marker: not counted
        Path out = dir.resolve("iphone-out");
        InspectionJob.Result result = inspect(input, out, "--detector", DemoData.DETECTOR.toString());
        assertThat(result.inputsListed()).isEqualTo(2);
        assertThat(table(out, "errors"))
                .as("errors: the HEIC photo, not the notes")
                .extracting(r -> r.getAs("source_uri"), r -> r.getAs("stage"), r -> r.getAs("error_class"))
                .containsExactly(tuple("file:" + input.resolve("IMG_0042.HEIC"), "decode", "UnsupportedFormat"));
        assertThat(table(out, "runs")).singleElement().satisfies(run -> {
            assertThat(run.<Long>getAs("inputs_unsupported"))
                    .as("runs.inputs_unsupported: the notes")
                    .isEqualTo(1);
            assertThat(run.<Long>getAs("inputs_failed")).isEqualTo(1);
        });
    }
}

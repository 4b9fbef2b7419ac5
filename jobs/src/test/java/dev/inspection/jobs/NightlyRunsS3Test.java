package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.jobs.config.UsageException;
import dev.inspection.model.ModelPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Nights as a scheduler runs them, on S3: reruns of a date, a crash before a write commits, incremental nights, a
 * config file kept in the bucket, and a pinned model.
 */
@Tag("spark")
@Tag("s3")
class NightlyRunsS3Test {

    static final String BUCKET = "roofs";
    static EmbeddedS3 s3;
    static SparkSession spark;
    static List<Path> boards;
    static String detectorSha256;

    @BeforeAll
    static void start() throws Exception {
        s3 = EmbeddedS3.start();
        s3.createBucket(BUCKET);
        boards = DemoData.images().subList(0, 9);
        byte[] detector = Files.readAllBytes(DemoData.DETECTOR);
        detectorSha256 = ModelPackage.sha256(detector);
        s3.put(BUCKET, "models/pcb-detector.onnx", detector);
        spark = s3.localSpark("NightlyRunsS3Test");
    }

    @AfterAll
    static void stop() throws Exception {
        spark.stop();
        s3.close();
    }

    /** Uploads boards [from, to) under the prefix, in two folders and at its top. */
    private static void upload(String prefix, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            String folder = i % 3 == 0 ? "" : i % 3 == 1 ? "north/" : "south/";
            s3.put(BUCKET, prefix + folder + boards.get(i).getFileName(), Files.readAllBytes(boards.get(i)));
        }
    }

    private static InspectionJob.Result inspect(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--batch-size", "4"));
        all.addAll(List.of(args));
        return new InspectionJob(spark, InspectArgs.parse(all.toArray(String[]::new))).execute();
    }

    private static InspectionJob.Result night(String output, String date, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--input",
                "s3a://roofs/" + output + "-photos/",
                "--detector",
                "s3a://roofs/models/pcb-detector.onnx",
                "--output",
                "s3a://roofs/" + output,
                "--run-date",
                date));
        args.addAll(List.of(extra));
        return inspect(args.toArray(String[]::new));
    }

    /** A date's rows of a table, each as text, sorted; without run_id where a rerun is compared with the run before. */
    private static List<String> rows(String output, String table, String date, boolean withRunId) {
        var t = spark.read().parquet("s3a://roofs/" + output + "/" + table).where("run_date = DATE'" + date + "'");
        return (withRunId ? t : t.drop("run_id"))
                .collectAsList().stream().map(Row::toString).sorted().toList();
    }

    /** The data files under a prefix: what a reader of the table sees (it skips _SUCCESS and other _ names). */
    private static List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        for (StorageMetadata m : s3.blobs()
                .list(BUCKET, ListContainerOptions.Builder.prefix(prefix).recursive())) {
            if (m.getName().endsWith(".parquet") || m.getName().endsWith(".png")) {
                keys.add(m.getName());
            }
        }
        return keys.stream().sorted().toList();
    }

    private static long pendingUploads(String prefix) {
        return s3.blobs().listMultipartUploads(BUCKET).stream()
                .filter(u -> u.blobName().startsWith(prefix))
                .count();
    }

    private static Row run(String output, String runId) {
        return spark.read()
                .parquet("s3a://roofs/" + output + "/runs")
                .where("run_id = '" + runId + "'")
                .first();
    }

    @Test
    void rerunningANightFromAConfigInTheBucketGivesTheSameRowsAndLeavesOtherNightsAlone() throws Exception {
        upload("reruns-photos/", 0, 6);
        s3.put(
                BUCKET,
                "conf/nightly.conf",
                String.join(
                                "\n",
                                "# the roof inspection, as the scheduler runs it",
                                "input = \"s3a://roofs/reruns-photos/\"",
                                "detector = { uri = \"s3a://roofs/models/pcb-detector.onnx\", sha256 = \""
                                        + detectorSha256 + "\" }",
                                "output = \"s3a://roofs/reruns\"",
                                "max-failure-rate = 0.1",
                                "conf { \"fs.s3a.secret.key\" = \"" + EmbeddedS3.SECRET_KEY + "\" }")
                        .getBytes(StandardCharsets.UTF_8));
        List<String> s3a = new ArrayList<>();
        s3.s3aSettings().forEach((k, v) -> s3a.addAll(List.of("--conf", k + "=" + v))); // to read the config from S3
        String[] config = {"--config", "s3a://roofs/conf/nightly.conf"};

        inspect(concat(config, s3a, "--run-date", "2026-11-01"));
        InspectionJob.Result first = inspect(concat(config, s3a, "--run-date", "2026-11-02"));
        List<String> night1 = rows("reruns", "regions", "2026-11-01", true);
        List<String> night2 = rows("reruns", "regions", "2026-11-02", false);
        assertThat(night2).hasSize((int) first.regionsWritten()).isNotEmpty();

        InspectionJob.Result again = inspect(concat(config, s3a, "--run-date", "2026-11-02"));
        assertThat(again.runId()).isNotEqualTo(first.runId());
        assertThat(rows("reruns", "regions", "2026-11-02", false)).isEqualTo(night2); // same rows, same ids, once each
        assertThat(rows("reruns", "regions", "2026-11-01", true)).isEqualTo(night1); // the other night as it was
        assertThat(rows("reruns", "processed_inputs", "2026-11-02", false)).hasSize(6);

        // Written by the S3A partitioned committer, and the configuration stored with credentials masked
        assertThat(new String(
                        s3.blobs()
                                .getBlob(BUCKET, "reruns/regions/_SUCCESS")
                                .getPayload()
                                .openStream()
                                .readAllBytes(),
                        StandardCharsets.UTF_8))
                .contains("\"committer\":\"partitioned\"");
        Map<String, String> stored = run("reruns", again.runId())
                .getJavaMap(run("reruns", again.runId()).fieldIndex("config"));
        assertThat(stored)
                .containsEntry("conf.fs.s3a.secret.key", "*****")
                .containsEntry("conf.fs.s3a.access.key", "*****")
                .containsEntry("detector", "s3a://roofs/models/pcb-detector.onnx#sha256=" + detectorSha256)
                .containsEntry("max-failure-rate", "0.1")
                .containsEntry("run-date", "2026-11-02");
        assertThat(stored.values()).noneMatch(v -> v.contains(EmbeddedS3.SECRET_KEY));
    }

    private static String[] concat(String[] first, List<String> second, String... third) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(second);
        all.addAll(List.of(third));
        return all.toArray(String[]::new);
    }

    @Test
    void aModelOtherThanThePinnedOneStopsTheRunBeforeAnyWork() throws Exception {
        upload("pinned-photos/", 0, 2);
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> inspect(
                        "--input",
                        "s3a://roofs/pinned-photos/",
                        "--detector",
                        "s3a://roofs/models/pcb-detector.onnx#sha256=" + wrong,
                        "--output",
                        "s3a://roofs/pinned"))
                .isInstanceOf(UsageException.class)
                .hasMessage("detector s3a://roofs/models/pcb-detector.onnx has sha256 " + detectorSha256
                        + ", but the configuration pins " + wrong + ": not running a model other than the pinned one");
        assertThat(s3.blobs().list(BUCKET, ListContainerOptions.Builder.prefix("pinned/")))
                .isEmpty();
    }

    @Test
    void aCrashBeforeTheJobCommitLeavesTheNightAsItWasAndTheRerunCleansUp() throws Exception {
        upload("crash-photos/", 0, 6);
        night("crash", "2026-11-05");
        List<String> committed = rows("crash", "regions", "2026-11-05", true);
        List<String> files = keys("crash/regions/");

        assertThatThrownBy(() -> night(
                        "crash",
                        "2026-11-05",
                        "--conf",
                        "spark.sql.sources.commitProtocolClass=" + CrashingCommitProtocol.class.getName()))
                .hasStackTraceContaining("simulated crash of the driver");
        // Every task's files were uploaded, but none is visible: the old night is whole, with the old run's ids.
        assertThat(pendingUploads("crash/regions/")).isPositive();
        assertThat(keys("crash/regions/")).isEqualTo(files);
        assertThat(rows("crash", "regions", "2026-11-05", true)).isEqualTo(committed);
        assertThat(spark.read()
                        .parquet("s3a://roofs/crash/runs")
                        .where("status = 'FAILED'")
                        .first()
                        .<String>getAs("message"))
                .contains("simulated crash");

        InspectionJob.Result rerun = night("crash", "2026-11-05");
        assertThat(rows("crash", "regions", "2026-11-05", false))
                .isEqualTo(committed.stream()
                        .map(r -> r.substring(r.indexOf(',') + 1))
                        .map(r -> "[" + r)
                        .sorted()
                        .toList());
        assertThat(rows("crash", "regions", "2026-11-05", true)).allMatch(r -> r.startsWith("[" + rerun.runId()));
        assertThat(pendingUploads("crash/")).isZero(); // the rerun's committer aborted the crashed run's uploads
    }

    @Test
    void incrementalNightsInspectOnlyWhatIsNewOrChangedOrFailedBefore() throws Exception {
        upload("incr-photos/", 0, 6);
        InspectionJob.Result night1 = night("incr", "2026-11-10", "--incremental");
        assertThat(night1.inputsListed()).isEqualTo(6);
        assertThat(night1.inputsSkipped()).isZero();
        assertThat(night1.imagesProcessed()).isEqualTo(6);

        // A new photo, one replaced by another picture, and a broken upload
        upload("incr-photos/", 6, 7);
        String changed = "incr-photos/north/" + boards.get(1).getFileName();
        s3.put(BUCKET, changed, Files.readAllBytes(boards.get(8)));
        s3.put(BUCKET, "incr-photos/south/broken.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        InspectionJob.Result night2 = night("incr", "2026-11-11", "--incremental");
        assertThat(night2.inputsListed()).isEqualTo(8);
        assertThat(night2.inputsSkipped()).isEqualTo(5);
        assertThat(night2.imagesProcessed()).isEqualTo(2);
        assertThat(night2.inputsFailed()).isEqualTo(1);
        assertThat(spark.read()
                        .parquet("s3a://roofs/incr/regions")
                        .where("run_date = DATE'2026-11-11'")
                        .select("source_uri")
                        .distinct()
                        .collectAsList())
                .extracting(r -> r.getString(0))
                .containsExactlyInAnyOrder(
                        "s3a://roofs/" + changed,
                        "s3a://roofs/incr-photos/" + boards.get(6).getFileName());
        assertThat(rows("incr", "processed_inputs", "2026-11-11", true)).hasSize(2);
        List<String> regions2 = rows("incr", "regions", "2026-11-11", false);

        // The same night again: its own ledger entries do not count, so it redoes the same two photos.
        InspectionJob.Result rerun = night("incr", "2026-11-11", "--incremental");
        assertThat(rerun.inputsSkipped()).isEqualTo(5);
        assertThat(rows("incr", "regions", "2026-11-11", false)).isEqualTo(regions2);

        // A night with nothing new tries the broken photo again, and only it.
        InspectionJob.Result night3 = night("incr", "2026-11-12", "--incremental");
        assertThat(night3.inputsSkipped()).isEqualTo(7);
        assertThat(night3.imagesProcessed()).isZero();
        assertThat(night3.inputsFailed()).isEqualTo(1);
        assertThat((long) run("incr", night3.runId()).getAs("inputs_skipped")).isEqualTo(7);

        // Without --incremental, a night inspects everything again.
        assertThat(night("incr", "2026-11-13").imagesProcessed()).isEqualTo(7);
    }
}

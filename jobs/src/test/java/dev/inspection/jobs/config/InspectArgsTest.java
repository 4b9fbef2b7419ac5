package dev.inspection.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
import dev.inspection.tile.TileMerge;
import dev.inspection.tile.Tiling;
import dev.inspection.track.TrackerSettings;
import dev.inspection.track.Tracking;
import dev.inspection.video.Sampling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class InspectArgsTest {

    private static final String[] REQUIRED = {
        "--input", "s3a://roofs/2026/", "--detector", "s3a://models/roof.onnx", "--output", "s3a://roofs-out/"
    };

    private static String[] with(String... extra) {
        String[] all = new String[REQUIRED.length + extra.length];
        System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
        System.arraycopy(extra, 0, all, REQUIRED.length, extra.length);
        return all;
    }

    @Test
    void parsesTheFullCommandLine() throws Exception {
        InspectArgs a = InspectArgs.parse(with(
                "--input",
                "file:///data/more",
                "--run-date",
                "2026-11-22",
                "--score-threshold",
                "0.4",
                "--iou-threshold",
                "0.5",
                "--max-detections",
                "50",
                "--batch-size",
                "16",
                "--class-agnostic-nms",
                "--conf",
                "fs.s3a.endpoint=http://minio:9000",
                "--conf",
                "spark.sql.shuffle.partitions=4"));
        assertThat(a.inputs()).containsExactly("s3a://roofs/2026/", "file:///data/more");
        assertThat(a.detectors()).containsExactly(new InspectArgs.ModelRef("s3a://models/roof.onnx", null));
        assertThat(a.output()).isEqualTo("s3a://roofs-out/");
        assertThat(a.runDate()).isEqualTo(LocalDate.of(2026, 11, 22));
        assertThat(a.detection().scoreThreshold()).isEqualTo(0.4);
        assertThat(a.detection().iouThreshold()).isEqualTo(0.5);
        assertThat(a.detection().maxDetections()).isEqualTo(50);
        assertThat(a.detection().classAgnostic()).isTrue();
        assertThat(a.resources().batchSize()).isEqualTo(16);
        assertThat(a.conf())
                .containsEntry("fs.s3a.endpoint", "http://minio:9000")
                .containsEntry("spark.sql.shuffle.partitions", "4");
    }

    @Test
    void anomalyModelsAloneAreEnough() throws Exception {
        InspectArgs a =
                InspectArgs.parse("--input", "in", "--anomaly", "m1.onnx", "--anomaly", "m2/", "--output", "out");
        assertThat(a.detectors()).isEmpty();
        assertThat(a.anomalyModels()).extracting(InspectArgs.ModelRef::uri).containsExactly("m1.onnx", "m2/");
    }

    @Test
    void defaultsLeaveThresholdsToTheModel() throws Exception {
        InspectArgs a = InspectArgs.parse(REQUIRED);
        assertThat(a.detection().scoreThreshold()).isNull();
        assertThat(a.detection().iouThreshold()).isNull();
        assertThat(a.resources().batchSize()).isEqualTo(8);
        assertThat(a.resources().intraOpThreads()).isEqualTo(1);
    }

    @Test
    void badValuesAreNamedInTheMessage() {
        assertThatThrownBy(() -> InspectArgs.parse(with("--run-date", "22/11/2026")))
                .isInstanceOf(UsageException.class)
                .hasMessage("--run-date must be YYYY-MM-DD, got '22/11/2026'");
        assertThatThrownBy(() -> InspectArgs.parse(with("--score-threshold", "1.5")))
                .hasMessage("--score-threshold must be a number in [0, 1], got '1.5'");
        assertThatThrownBy(() -> InspectArgs.parse(with("--iou-threshold", "0")))
                .hasMessage("--iou-threshold must be a number in (0, 1], got '0'");
        assertThatThrownBy(() -> InspectArgs.parse(with("--batch-size", "-3")))
                .hasMessage("--batch-size must be a positive whole number, got '-3'");
        assertThatThrownBy(() -> InspectArgs.parse(with("--conf", "fs.s3a.endpoint")))
                .hasMessage("--conf must be KEY=VALUE, got 'fs.s3a.endpoint'");
        assertThatThrownBy(() -> InspectArgs.parse(with("--detecter", "x"))).hasMessage("unknown option --detecter");
        assertThatThrownBy(() -> InspectArgs.parse(with("--output"))).hasMessage("--output needs a value");
        assertThatThrownBy(() -> InspectArgs.parse("--input", "a", "--output", "b"))
                .hasMessageStartingWith("a model is required: --detector or --anomaly");
    }

    @Test
    void videosAreSampledOneWay() throws Exception {
        InspectArgs a = InspectArgs.parse(REQUIRED);
        assertThat(a.sampling()).isEqualTo(Sampling.sampleMs(1000));
        assertThat(a.videoSegmentMs()).isEqualTo(120_000);
        assertThat(a.resources().decodeThreads()).isEqualTo(1);
        assertThat(InspectArgs.parse(with("--every-n-frames", "30")).sampling()).hasToString("every-n-frames=30");
        assertThat(InspectArgs.parse(with("--keyframes-only")).sampling()).hasToString("keyframes-only");
        assertThat(InspectArgs.parse(with("--video-segment-s", "30")).videoSegmentMs())
                .isEqualTo(30_000);
        assertThatThrownBy(() -> InspectArgs.parse(with("--sample-ms", "500", "--keyframes-only")))
                .hasMessage(
                        "choose one of --sample-ms, --every-n-frames and --keyframes-only, got [sample-ms=500, keyframes-only]");
        assertThatThrownBy(() -> InspectArgs.parse(with("--sample-ms", "0")))
                .hasMessage("--sample-ms must be a positive whole number, got '0'");
    }

    @Test
    void trackingIsOffUnlessAskedForAndThenSamplesEvery100Ms(@TempDir Path dir) throws Exception {
        assertThat(InspectArgs.parse(REQUIRED).tracking()).isEqualTo(Tracking.OFF);
        InspectArgs tracked = InspectArgs.parse(with("--track"));
        assertThat(tracked.tracking()).isEqualTo(Tracking.byteTrack(TrackerSettings.ULTRALYTICS));
        assertThat(tracked.sampling()).as("tracking's default sampling").isEqualTo(Sampling.sampleMs(100));
        assertThat(InspectArgs.parse(with("--track", "--sample-ms", "1000")).sampling())
                .as("the user's sampling wins")
                .isEqualTo(Sampling.sampleMs(1000));
        assertThat(InspectArgs.parse(with("--track", "--every-n-frames", "3")).sampling())
                .isEqualTo(Sampling.everyNFrames(3));
        assertThat(parseConfig(dir, "sample-ms = 500\ntrack = true").sampling())
                .as("a config file's sampling wins too")
                .isEqualTo(Sampling.sampleMs(500));
    }

    @Test
    void everyTrackerSettingIsAnOption() throws Exception {
        InspectArgs a = InspectArgs.parse(with(
                "--track",
                "--track-high-thresh",
                "0.5",
                "--track-low-thresh",
                "0.2",
                "--new-track-thresh",
                "0.6",
                "--track-buffer",
                "60",
                "--match-thresh",
                "0.7"));
        assertThat(a.tracking()).isEqualTo(Tracking.byteTrack(new TrackerSettings(0.5, 0.2, 0.6, 60, 0.7, true)));
        assertThat(a.resolved()).containsEntry("track-buffer", "60").containsEntry("track", "true");
        assertThatThrownBy(() -> InspectArgs.parse(with("--track", "--track-low-thresh", "0.3")))
                .hasMessage("--track-low-thresh (0.3) must not be above --track-high-thresh (0.25)");
        assertThatThrownBy(() -> InspectArgs.parse(with("--track-buffer=-1")))
                .hasMessage("--track-buffer must be a whole number >= 0, got '-1'");
        assertThatThrownBy(() -> InspectArgs.parse(with("--match-thresh", "1.5")))
                .hasMessage("--match-thresh must be a number in [0, 1], got '1.5'");
        assertThatThrownBy(() -> InspectArgs.parse("--input", "a", "--anomaly", "m.onnx", "--output", "b", "--track"))
                .hasMessage("--track follows what detectors find: it needs a --detector");
    }

    @Test
    void aManifestCanNameTheInputs() throws Exception {
        InspectArgs a =
                InspectArgs.parse("--manifest", "s3a://roofs/frames.csv", "--detector", "m.onnx", "--output", "o");
        assertThat(a.inputs()).isEmpty();
        assertThat(a.manifests()).containsExactly("s3a://roofs/frames.csv");
        assertThatThrownBy(() -> InspectArgs.parse("--detector", "m.onnx", "--output", "o"))
                .hasMessageStartingWith("--input or --manifest is required");
    }

    @Test
    void aConfigFileHoldsWhatTheCommandLineHoldsAndFlagsOverrideIt(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("boards.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "# nightly boards",
                        "input = [\"s3a://plant/boards/\", \"s3a://plant/rework/\"]",
                        "detector = { uri = \"s3a://models/pcb.onnx\", sha256 = \"" + "AB".repeat(32) + "\" }",
                        "anomaly = [\"s3a://models/pcb-anomaly/\"]",
                        "output = \"s3a://plant/inspections/\"",
                        "sample-ms = 500",
                        "incremental = true",
                        "max-failure-rate = 0.05",
                        "conf {",
                        "  fs.s3a.endpoint = \"http://minio:9000\"",
                        "  \"fs.s3a.secret.key\" = hunter2",
                        "  spark.sql.shuffle.partitions = 8",
                        "}"));
        InspectArgs a = InspectArgs.parse(
                "--config",
                config.toString(),
                "--run-date",
                "2026-11-20",
                "--keyframes-only",
                "--input",
                "s3a://plant/today/",
                "--conf",
                "spark.sql.shuffle.partitions=4");
        assertThat(a.inputs()).containsExactly("s3a://plant/today/");
        assertThat(a.detectors()).containsExactly(new InspectArgs.ModelRef("s3a://models/pcb.onnx", "ab".repeat(32)));
        assertThat(a.anomalyModels()).containsExactly(new InspectArgs.ModelRef("s3a://models/pcb-anomaly/", null));
        assertThat(a.output()).isEqualTo("s3a://plant/inspections/");
        assertThat(a.runDate()).isEqualTo(LocalDate.of(2026, 11, 20));
        assertThat(a.sampling()).hasToString("keyframes-only"); // the flag replaces the file's sample-ms
        assertThat(a.incremental()).isTrue();
        assertThat(a.maxFailureRate()).isEqualTo(0.05);
        assertThat(a.conf())
                .containsExactly(
                        java.util.Map.entry("fs.s3a.endpoint", "http://minio:9000"),
                        java.util.Map.entry("fs.s3a.secret.key", "hunter2"),
                        java.util.Map.entry("spark.sql.shuffle.partitions", "4"));
    }

    @Test
    void theResolvedConfigurationIsSortedWithSecretsMasked() throws Exception {
        InspectArgs a = InspectArgs.parse(with(
                "--conf",
                "fs.s3a.access.key=AKIAEXAMPLE",
                "--conf",
                "fs.s3a.secret.key=hunter2",
                "--conf",
                "fs.s3a.session.token=tok",
                "--conf",
                "fs.s3a.bucket.plant.assumed.role.arn=arn:aws:iam::1:role/x",
                "--input",
                "s3a://AKIA2:pw@plant/x/",
                "--detector",
                "m.onnx#sha256=" + "0f".repeat(32),
                "--run-date",
                "2026-11-20"));
        var resolved = a.resolved();
        assertThat(new java.util.ArrayList<>(resolved.keySet()))
                .isSorted()
                .contains("batch-size", "sampling", "run-date", "incremental");
        assertThat(resolved)
                .containsEntry("conf.fs.s3a.access.key", "*****")
                .containsEntry("conf.fs.s3a.secret.key", "*****")
                .containsEntry("conf.fs.s3a.session.token", "*****")
                .containsEntry("conf.fs.s3a.bucket.plant.assumed.role.arn", "arn:aws:iam::1:role/x")
                .containsEntry("input", "s3a://roofs/2026/,s3a://*****@plant/x/")
                .containsEntry("detector", "s3a://models/roof.onnx,m.onnx#sha256=" + "0f".repeat(32))
                .containsEntry("run-date", "2026-11-20")
                .containsEntry("sampling", "sample-ms=1000");
        assertThat(resolved.values()).noneMatch(v -> v.contains("hunter2") || v.contains("AKIA") || v.contains("tok"));
    }

    @Test
    void configMistakesNameTheKeyAndTheValue(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> parseConfig(dir, "inputs = [\"s3a://a/\"]"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith(
                        "unknown key 'inputs' in bad.conf (line 1); the keys are [annotate, anomaly, batch-size,");
        assertThatThrownBy(() -> parseConfig(dir, "sample-ms = -5"))
                .hasMessage("sample-ms in bad.conf must be a positive whole number, got '-5'");
        assertThatThrownBy(() -> parseConfig(dir, "score-threshold = high"))
                .hasMessage("score-threshold in bad.conf must be a number in [0, 1], got 'high'");
        assertThatThrownBy(() -> parseConfig(dir, "incremental = yes please"))
                .hasMessage("incremental in bad.conf must be true or false, got 'yes please'");
        assertThatThrownBy(() -> parseConfig(dir, "anomaly = { uri = m.onnx, sha = 12 }"))
                .hasMessage("unknown key 'sha' in a model of anomaly in bad.conf; a model has uri and sha256");
        assertThatThrownBy(() -> parseConfig(dir, "anomaly = { uri = m.onnx, sha256 = 12 }"))
                .hasMessage("anomaly in bad.conf sha256 must be 64 hexadecimal digits, got '12'");
        assertThatThrownBy(() -> parseConfig(dir, "output = [a, b]"))
                .hasMessage("output in bad.conf must be a single value, got [\"a\",\"b\"]");
        assertThatThrownBy(() -> parseConfig(dir, "input = {"))
                .hasMessageStartingWith("--config " + dir.resolve("bad.conf") + " is not valid HOCON:");
        assertThatThrownBy(() ->
                        InspectArgs.parse("--config", dir.resolve("absent.conf").toString()))
                .hasMessageStartingWith("--config " + dir.resolve("absent.conf") + " cannot be read:");
    }

    @Test
    void theExampleConfigsInConfAreValid() throws Exception {
        InspectArgs roofs = InspectArgs.parse(
                "--config", Path.of("..", "conf", "roofs.conf").toString());
        assertThat(roofs.inputs()).containsExactly("s3a://roof-photos/flights/");
        assertThat(roofs.sampling()).hasToString("sample-ms=500");
        assertThat(roofs.incremental()).isTrue();
        InspectArgs boards = InspectArgs.parse(
                "--config", Path.of("..", "conf", "boards.conf").toString());
        assertThat(boards.detectors())
                .singleElement()
                .satisfies(d -> assertThat(d.sha256()).hasSize(64));
        assertThat(boards.anomalyModels())
                .singleElement()
                .satisfies(d -> assertThat(d.sha256()).hasSize(64));
        assertThat(boards.maxFailureRate()).isEqualTo(0.01);
    }

    @Test
    void aFileChoosesOneSamplingAndAFlagReplacesIt(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> parseConfig(dir, "sample-ms = 500\nkeyframes-only = true"))
                .hasMessageStartingWith("choose one of --sample-ms, --every-n-frames and --keyframes-only, got [");
        Path config = Files.writeString(dir.resolve("videos.conf"), "sample-ms = 500\n");
        assertThat(InspectArgs.parse(with("--config", config.toString(), "--every-n-frames", "30"))
                        .sampling())
                .isEqualTo(Sampling.everyNFrames(30));
        assertThat(InspectArgs.parse(with("--config", config.toString())).sampling())
                .isEqualTo(Sampling.sampleMs(500));
    }

    @Test
    void theHadoopConfigurationHoldsTheHadoopSettings() throws Exception {
        System.setProperty("spark.hadoop.fs.s3a.connection.maximum", "96");
        try {
            InspectArgs a = InspectArgs.parse(
                    with("--conf", "fs.s3a.endpoint=http://minio:9000", "--conf", "spark.sql.shuffle.partitions=4"));
            var hadoop = a.hadoopConfiguration();
            assertThat(hadoop.get("fs.s3a.endpoint")).isEqualTo("http://minio:9000");
            assertThat(hadoop.get("fs.s3a.connection.maximum")).isEqualTo("96");
            assertThat(hadoop.get("spark.sql.shuffle.partitions")).isNull();
        } finally {
            System.clearProperty("spark.hadoop.fs.s3a.connection.maximum");
        }
    }

    @Test
    void theUsageListsEveryOptionWithItsDefault() {
        for (OptionSpec option : options()) {
            String entry = usageOf(option.longestName());
            assertThat(entry)
                    .as(option.longestName())
                    .startsWith(
                            option.arity().max() == 0
                                    ? option.longestName()
                                    : option.longestName() + " " + option.paramLabel());
            if (option.defaultValue() != null) {
                assertThat(entry).as(option.longestName()).contains("(default " + option.defaultValue());
            }
        }
        assertThat(usageOf("--run-date")).contains("(default today, UTC)");
        assertThat(usageOf("--batch-size")).contains("(default 8;");
        assertThat(usageOf("--max-image-pixels")).contains("(default 100000000)");
        assertThat(usageOf("--intra-op-threads")).contains("(default 1:");
        assertThat(usageOf("--sample-ms")).contains("(default 1000; 100 with --track)");
        assertThat(usageOf("--track-buffer")).contains("(default 30)");
        assertThat(usageOf("--video-segment-s")).contains("(default 120)");
        assertThat(usageOf("--decode-threads")).contains("(default 1,");
        assertThat(usageOf("--max-failure-rate")).contains("(default 1: never)");
        assertThat(usageOf("--score-threshold")).contains("(default: the model's, else 0.25)");
        assertThat(usageOf("--tile-size")).contains("(default: the detectors' packages' tile_size, else 0)");
        assertThat(usageOf("--tile-overlap")).contains("(default: the detectors' packages' tile_overlap, else 0.2)");
        assertThat(InspectArgs.USAGE).contains("jpg, jpeg, png", "mp4, m4v, mov");
    }

    @Test
    void theConfigFileKeysAreExactlyTheOptionsNames(@TempDir Path dir) throws Exception {
        Set<String> keys = options().stream()
                .map(o -> o.longestName().substring(2))
                .filter(k -> !k.equals("config"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThatThrownBy(() -> parseConfig(dir, "inputs = [x]")).hasMessageEndingWith("; the keys are " + keys);
        // Every key in a file says what its flag says, and changes the run.
        String base = "input = \"in/\"\ndetector = \"m.onnx\"\noutput = \"out/\"\nrun-date = \"2026-01-01\"\n";
        Path baseFile = Files.writeString(dir.resolve("base.conf"), base);
        for (String key : keys) {
            OptionSpec option = options().stream()
                    .filter(o -> o.longestName().equals("--" + key))
                    .findFirst()
                    .orElseThrow();
            String value = switch (option.paramLabel()) {
                case "URI" -> "s3a://b/x/";
                case "N" -> "2";
                case "X", "R" -> "0.5";
                case "YYYY-MM-DD" -> "2026-01-02";
                case "KEY=VALUE" -> "a.b=c";
                case "nmm|nms" -> "nms";
                case "KEY" -> "folder:2";
                default -> null; // a switch
            };
            String line = value == null
                    ? key + " = true"
                    : key.equals("conf") ? "conf { \"a.b\" = \"c\" }" : key + " = \"" + value + "\"";
            Path file = Files.writeString(dir.resolve(key + ".conf"), base + line + "\n");
            List<String> flags = new ArrayList<>(List.of("--config", baseFile.toString(), "--" + key));
            if (value != null) {
                flags.add(value);
            }
            var fromFile = InspectArgs.parse("--config", file.toString()).resolved();
            assertThat(fromFile)
                    .as(key)
                    .isEqualTo(InspectArgs.parse(flags.toArray(String[]::new)).resolved())
                    .isNotEqualTo(
                            InspectArgs.parse("--config", baseFile.toString()).resolved());
        }
    }

    /** A detector package named {@code name} whose model.json holds {@code json} too. */
    private static ModelPackage pkg(String name, String json) {
        return ModelPackage.of(
                "s3a://models/" + name + "/model.onnx",
                new byte[] {1},
                ModelDescriptor.parse("{\"name\": \"" + name + "\", " + json.substring(1)));
    }

    private static final ModelPackage BARE = ModelPackage.of("s3a://models/bare.onnx", new byte[] {2}, null);

    @Test
    void aPackageDeclaresTheTilingOfTheRun() throws Exception {
        InspectArgs a = InspectArgs.parse(REQUIRED);
        assertThat(a.tiling(List.of(BARE))).as("no package declares one").isEqualTo(Tiling.OFF);
        assertThat(a.tiling(List.of(pkg("hail", "{\"tile_size\": 640, \"tile_overlap\": 0.25}"), BARE)))
                .as("one package declares it, the bare model has no say")
                .hasToString("tile-size=640,overlap=0.25,full-frame,nmm");
        assertThat(a.tiling(List.of(pkg("hail", "{\"tile_size\": 640}"), pkg("dents", "{\"tile_size\": 640}"))))
                .as("two packages agree; the overlap is the default")
                .isEqualTo(new Tiling(640, 0.2, true, TileMerge.Strategy.NMM, 64));
        assertThat(InspectArgs.parse(with("--no-full-frame", "--tile-merge", "nms", "--tiles-per-task", "9"))
                        .tiling(List.of(pkg("hail", "{\"tile_size\": 640}"))))
                .as("the other tiling options still come from the configuration")
                .isEqualTo(new Tiling(640, 0.2, false, TileMerge.Strategy.NMS, 9));
    }

    @Test
    void theCommandLineOverridesThePackagesTiling() throws Exception {
        List<ModelPackage> declaring = List.of(pkg("hail", "{\"tile_size\": 640, \"tile_overlap\": 0.25}"));
        assertThat(InspectArgs.parse(with("--tile-size", "1024")).tiling(declaring))
                .as("--tile-size given, the package's overlap kept")
                .isEqualTo(new Tiling(1024, 0.25, true, TileMerge.Strategy.NMM, 64));
        assertThat(InspectArgs.parse(with("--tile-overlap", "0.1")).tiling(declaring))
                .as("--tile-overlap given, the package's size kept")
                .isEqualTo(new Tiling(640, 0.1, true, TileMerge.Strategy.NMM, 64));
        assertThat(InspectArgs.parse(with("--tile-size", "0")).tiling(declaring))
                .as("--tile-size 0 turns tiling off")
                .hasToString("off")
                .satisfies(t -> assertThat(t.enabled()).isFalse());
        assertThat(InspectArgs.parse(with("--tile-size", "512")).tiling(List.of(BARE)))
                .as("a flag without packages")
                .hasToString("tile-size=512,overlap=0.2,full-frame,nmm");
    }

    @Test
    void packagesThatDisagreeOnTheTilingStopTheRunUnlessTheConfigurationSettlesIt() throws Exception {
        List<ModelPackage> disagreeing = List.of(
                pkg("hail", "{\"tile_size\": 640, \"tile_overlap\": 0.2}"),
                BARE,
                pkg("dents", "{\"tile_size\": 1024, \"tile_overlap\": 0.2}"));
        assertThatThrownBy(() -> InspectArgs.parse(REQUIRED).tiling(disagreeing))
                .isInstanceOf(UsageException.class)
                .hasMessage("the detectors' packages declare different tiling: hail (s3a://models/hail/model.onnx)"
                        + " tile_size 640, dents (s3a://models/dents/model.onnx) tile_size 1024; --tile-size"
                        + " (tile-size in a config file) settles it for the run");
        assertThat(InspectArgs.parse(with("--tile-size", "800")).tiling(disagreeing))
                .isEqualTo(new Tiling(800, 0.2, true, TileMerge.Strategy.NMM, 64));
        List<ModelPackage> overlaps =
                List.of(pkg("hail", "{\"tile_overlap\": 0.2}"), pkg("dents", "{\"tile_overlap\": 0.3}"));
        assertThatThrownBy(() -> InspectArgs.parse(with("--tile-size", "640")).tiling(overlaps))
                .hasMessageContaining("hail (s3a://models/hail/model.onnx) tile_overlap 0.2, dents")
                .hasMessageEndingWith("; --tile-overlap (tile-overlap in a config file) settles it for the run");
    }

    @Test
    void theConfigFilesTilingCountsAsGiven(@TempDir Path dir) throws Exception {
        List<ModelPackage> declaring = List.of(pkg("hail", "{\"tile_size\": 640, \"tile_overlap\": 0.25}"));
        assertThat(parseConfig(dir, "tile-size = 0").tiling(declaring))
                .as("tile-size = 0 in the file turns tiling off")
                .isEqualTo(new Tiling(0, 0.25, true, TileMerge.Strategy.NMM, 64));
        assertThat(parseConfig(dir, "tile-size = 1024\ntile-overlap = 0.1").tiling(declaring))
                .isEqualTo(new Tiling(1024, 0.1, true, TileMerge.Strategy.NMM, 64));
        Path config = Files.writeString(dir.resolve("tiled.conf"), "tile-size = 1024\n");
        assertThat(InspectArgs.parse(with("--config", config.toString(), "--tile-size", "320"))
                        .tiling(declaring))
                .as("a flag over the file")
                .isEqualTo(new Tiling(320, 0.25, true, TileMerge.Strategy.NMM, 64));
        assertThat(parseConfig(dir, "tile-overlap = 0.3").resolved())
                .containsEntry("tile-overlap", "0.3")
                .containsEntry("tile-size", "model's");
    }

    private static List<OptionSpec> options() {
        return new CommandLine(new InspectArgs()).getCommandSpec().options();
    }

    /** An option's entry in the usage text, its lines joined. */
    private static String usageOf(String name) {
        StringBuilder entry = new StringBuilder();
        for (String line : InspectArgs.USAGE.split("\n")) {
            String text = line.strip();
            if (text.equals(name) || text.startsWith(name + " ")) {
                entry.append(text);
            } else if (entry.length() > 0 && !text.isEmpty() && !text.startsWith("--")) {
                entry.append(' ').append(text);
            } else if (entry.length() > 0) {
                break;
            }
        }
        return entry.toString().replaceAll("\\s+", " ");
    }

    private static InspectArgs parseConfig(Path dir, String line) throws Exception {
        Path config = dir.resolve("bad.conf");
        Files.writeString(config, line + "\n");
        return InspectArgs.parse(with("--config", config.toString()));
    }
}

package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inspection.jobs.config.InspectArgs;
import dev.inspection.video.TestVideos;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detector families other than Ultralytics' through the whole job: their inputs fed, their boxes where they belong. */
@Tag("spark")
@Tag("video")
class DetectorFamiliesJobTest {

    static final Path COMPAT = UltralyticsParityTest.COMPAT;

    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("DetectorFamiliesJobTest", 2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /**
     * The tiny DETR-interface model returns boxes as fractions of the size it is fed in {@code orig_target_sizes}: each
     * photo's regions are at its own size's fractions, so each got its own size, in the batch's order.
     */
    @Test
    void detrModelIsFedEachPicturesSizeAndItsBoxesStayInThePicturesPixels() throws Exception {
        Path input = Files.createDirectories(dir.resolve("detr-photos"));
        int[][] sizes = {{400, 300}, {150, 500}, {640, 480}};
        for (int[] s : sizes) {
            ImageIO.write(
                    new BufferedImage(s[0], s[1], BufferedImage.TYPE_INT_RGB),
                    "png",
                    input.resolve(s[0] + "x" + s[1] + ".png").toFile());
        }
        Path out = dir.resolve("detr-out");
        inspectWithDetr(input, out, "--batch-size", "2");
        List<Row> regions =
                spark.read().parquet(out.resolve("regions").toString()).collectAsList();
        assertThat(regions).hasSize(sizes.length); // the second query scores 0.1, below 0.25
        for (int[] s : sizes) {
            Row r = regions.stream()
                    .filter(row -> row.<String>getAs("source_uri").endsWith("/" + s[0] + "x" + s[1] + ".png"))
                    .findFirst()
                    .orElseThrow();
            assertThat(r.<String>getAs("concept_name")).isEqualTo("dent");
            assertThat(r.<Double>getAs("score")).isCloseTo(0.9, within(1e-6));
            assertThat(new double[] {r.getAs("x_min"), r.getAs("y_min"), r.getAs("x_max"), r.getAs("y_max")})
                    .as("box of the %dx%d photo", s[0], s[1])
                    .containsExactly(new double[] {0.1 * s[0], 0.2 * s[1], 0.5 * s[0], 0.6 * s[1]}, within(1e-3));
        }
    }

    /**
     * Tiled, each tile is a picture of its own to the DETR model: its size fed, its boxes at that tile's fractions,
     * mapped into the photo by the tile's place.
     */
    @Test
    void detrModelThroughTilingGetsEachTilesSize() throws Exception {
        Path input = Files.createDirectories(dir.resolve("tiled-photos"));
        ImageIO.write(
                new BufferedImage(1280, 640, BufferedImage.TYPE_INT_RGB),
                "png",
                input.resolve("wide.png").toFile());
        Path out = dir.resolve("tiled-out");
        inspectWithDetr(input, out, "--tile-size", "640", "--tile-overlap", "0", "--no-full-frame");
        List<double[]> boxes = spark.read().parquet(out.resolve("regions").toString()).collectAsList().stream()
                .map(r -> new double[] {r.getAs("x_min"), r.getAs("y_min"), r.getAs("x_max"), r.getAs("y_max")})
                .sorted(Comparator.comparingDouble(b -> b[0]))
                .toList();
        assertThat(boxes).hasSize(2);
        assertThat(boxes.get(0)).containsExactly(new double[] {64, 128, 320, 384}, within(1e-3));
        assertThat(boxes.get(1)).containsExactly(new double[] {704, 128, 960, 384}, within(1e-3));
    }

    /** Video frames tracked: the DETR model's one box on every sampled frame is one object, one track. */
    @Test
    void detrModelThroughTrackingGivesOneTrack() throws Exception {
        Path input = Files.createDirectories(dir.resolve("video"));
        int frames = 30;
        TestVideos.write(
                input.resolve("still.mp4"),
                TestVideos.Encoding.H264.withTimeBase(10).withGop(10),
                320,
                240,
                TestVideos.constantRate(frames, 10),
                i -> TestVideos.numbered(i, 320, 240));
        Path out = dir.resolve("video-out");
        inspectWithDetr(input, out, "--sample-ms", "200", "--track");
        List<Row> tracks =
                spark.read().parquet(out.resolve("tracks").toString()).collectAsList();
        assertThat(tracks).hasSize(1);
        assertThat(tracks.get(0).<String>getAs("concept_name")).isEqualTo("dent");
        assertThat(tracks.get(0).<Integer>getAs("detections")).isEqualTo(frames / 2); // every second frame of 30
    }

    /** Evaluated against labels where its boxes are: the DETR model's detections all match, AP 1. */
    @Test
    void detrModelThroughTheEvaluationMatchesItsLabels() throws Exception {
        Path set = dir.resolve("labeled");
        Files.createDirectories(set.resolve("images"));
        Files.createDirectories(set.resolve("labels"));
        for (String name : List.of("a-400x300", "b-150x500")) {
            String[] size = name.substring(2).split("x");
            BufferedImage image =
                    new BufferedImage(Integer.parseInt(size[0]), Integer.parseInt(size[1]), BufferedImage.TYPE_INT_RGB);
            ImageIO.write(image, "png", set.resolve("images/" + name + ".png").toFile());
            // class 1 (dent), centre (0.3, 0.4), 0.4 x 0.4: the model's (0.1, 0.2)..(0.5, 0.6) box
            Files.writeString(set.resolve("labels/" + name + ".txt"), "1 0.3 0.4 0.4 0.4\n");
        }
        Path out = dir.resolve("eval-out");
        EvaluationJob.execute(spark, InspectArgs.parse(new String[] {
            "--labels", set.toString(), "--detector", detrPackage().toString(), "--output", out.toString()
        }));
        Row all = spark.read().parquet(out.resolve("detection_metrics").toString()).collectAsList().stream()
                .filter(r -> r.getAs("concept_name").equals("all"))
                .findFirst()
                .orElseThrow();
        assertThat(all.<Long>getAs("labels")).isEqualTo(2);
        assertThat(all.<Double>getAs("ap50_95")).isCloseTo(1.0, within(1e-9));
    }

    /** Real YOLOX and DEIMv2 exports, bare, on the compat photos: their reference detections (../shared/compat). */
    @Test
    void bareYoloxAndDeimv2ExportsGiveTheirReferenceDetections() throws Exception {
        List<String> models = List.of("yolox-nano-416", "deimv2-atto-320");
        assumeTrue(Files.exists(COMPAT.resolve("models/" + models.get(0) + ".onnx")), "../shared/compat is absent");
        Path input = Files.createDirectories(dir.resolve("compat-photos"));
        for (String photo : List.of("bus.jpg", "dog.jpg", "bicycle-rider.jpg")) {
            Files.copy(COMPAT.resolve("images").resolve(photo), input.resolve(photo));
        }
        List<String> args = new ArrayList<>(List.of(
                "--input",
                input.toString(),
                "--output",
                dir.resolve("compat-out").toString()));
        for (String m : models) {
            args.addAll(List.of(
                    "--detector", COMPAT.resolve("models/" + m + ".onnx").toString()));
        }
        inspect(args.toArray(String[]::new));
        List<Row> regions = spark.read()
                .parquet(dir.resolve("compat-out/regions").toString())
                .collectAsList();
        for (String m : models) {
            for (String line : Files.readAllLines(COMPAT.resolve("expected/families/" + m + ".tsv"))) {
                String[] f = line.split("\t");
                double score = Double.parseDouble(f[2]);
                if (score < 0.3) {
                    continue;
                }
                double[] box = {
                    Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]),
                    Double.parseDouble(f[6])
                };
                assertThat(regions).as("%s: %s", m, line).anySatisfy(r -> {
                    assertThat(r.<String>getAs("model_name")).isEqualTo(m);
                    assertThat(r.<String>getAs("source_uri")).endsWith("/" + f[0]);
                    assertThat(r.<String>getAs("concept_name")).isEqualTo(f[1]);
                    assertThat(r.<Double>getAs("score")).isCloseTo(score, within(0.02));
                    assertThat(iou(r, box)).isGreaterThanOrEqualTo(0.95);
                });
            }
        }
    }

    /** The tiny DETR-interface model in a package naming its classes scratch and dent. */
    static Path detrPackage() throws Exception {
        Path pkg = dir.resolve("detr-model");
        if (!Files.exists(pkg)) {
            Files.createDirectories(pkg);
            Files.copy(
                    Path.of("..", "common", "src", "test", "resources", "models", "detr-sizes.onnx"),
                    pkg.resolve("model.onnx"));
            Files.writeString(pkg.resolve("model.json"), "{\"name\": \"parts\", \"classes\": [\"scratch\", \"dent\"]}");
        }
        return pkg;
    }

    static double iou(Row r, double[] e) {
        double x1 = r.<Double>getAs("x_min");
        double y1 = r.<Double>getAs("y_min");
        double x2 = r.<Double>getAs("x_max");
        double y2 = r.<Double>getAs("y_max");
        double w = Math.max(0, Math.min(x2, e[2]) - Math.max(x1, e[0]));
        double h = Math.max(0, Math.min(y2, e[3]) - Math.max(y1, e[1]));
        double inter = w * h;
        return inter / ((x2 - x1) * (y2 - y1) + (e[2] - e[0]) * (e[3] - e[1]) - inter);
    }

    /** Inspects {@code input} into {@code out} with the tiny DETR-interface package and these options. */
    private static void inspectWithDetr(Path input, Path out, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--input", input.toString(), "--detector", detrPackage().toString(), "--output", out.toString()));
        args.addAll(List.of(options));
        inspect(args.toArray(String[]::new));
    }

    private static void inspect(String... args) throws Exception {
        new InspectionJob(spark, InspectArgs.parse(args)).execute();
    }
}

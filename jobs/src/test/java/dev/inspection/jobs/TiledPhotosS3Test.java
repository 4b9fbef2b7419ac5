package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.jobs.config.InspectArgs;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Small things on a big photo, through s3a://: a 2400 x 1600 panel photo holding intact demo boards at their own scale,
 * their parts a few dozen pixels across. Seen whole, the photo is shrunk 7.5 times into the detector's 320 input and
 * the parts vanish; cut into tiles, they are found, each once, also where a tile border cuts them.
 */
@Tag("spark")
@Tag("s3")
class TiledPhotosS3Test {

    static final String BUCKET = "panels";
    static final int WIDTH = 2400;
    static final int HEIGHT = 1600;
    static EmbeddedS3 s3;
    static SparkSession spark;
    /** Every part on the panel, in the panel's pixels. */
    static final List<DemoData.Box> truth = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        s3 = EmbeddedS3.start();
        s3.createBucket(BUCKET);
        BufferedImage panel = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = panel.createGraphics();
        g.setColor(new java.awt.Color(90, 90, 90));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        Map<String, List<DemoData.Box>> labels = DemoData.labels();
        int x = 0;
        int y = 0;
        int rowHeight = 0;
        for (Path file : DemoData.images()) {
            String name = file.getFileName().toString();
            if (DemoData.defects().containsKey(name)) {
                continue; // intact boards only: the detector's recall on them is what the other tests measure
            }
            BufferedImage board = ImageIO.read(file.toFile());
            if (x + board.getWidth() > WIDTH) {
                x = 0;
                y += rowHeight;
                rowHeight = 0;
            }
            if (y + board.getHeight() > HEIGHT) {
                break;
            }
            g.drawImage(board, x, y, null);
            for (DemoData.Box b : labels.get(name)) {
                truth.add(new DemoData.Box(b.concept(), b.xMin() + x, b.yMin() + y, b.xMax() + x, b.yMax() + y));
            }
            x += board.getWidth();
            rowHeight = Math.max(rowHeight, board.getHeight());
        }
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(panel, "png", png);
        s3.put(BUCKET, "photos/panel-1.png", png.toByteArray());
        s3.put(BUCKET, "models/pcb-detector.onnx", java.nio.file.Files.readAllBytes(DemoData.DETECTOR));
        s3.put(BUCKET, "spots/spot.png", spotPhoto());
        s3.put(BUCKET, "models/mean.onnx", java.nio.file.Files.readAllBytes(MEAN_MODEL));
        // The same detector as a package that declares the tiling it must run with.
        s3.put(BUCKET, "models/pcb-tiled/model.onnx", java.nio.file.Files.readAllBytes(DemoData.DETECTOR));
        s3.put(
                BUCKET,
                "models/pcb-tiled/model.json",
                "{\"name\": \"pcb-tiled\", \"tile_size\": 400}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        spark = s3.localSpark("TiledPhotosS3Test");
    }

    @AfterAll
    static void stop() throws Exception {
        spark.stop();
        s3.close();
    }

    private static List<Row> regions(String date, String... tiling) throws Exception {
        return regionsOf("s3a://panels/models/pcb-detector.onnx", date, tiling);
    }

    private static List<Row> regionsOf(String detector, String date, String... tiling) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--input",
                "s3a://panels/photos/",
                "--detector",
                detector,
                "--output",
                "s3a://panels/out",
                "--run-date",
                date,
                "--batch-size",
                "4"));
        args.addAll(List.of(tiling));
        InspectionJob.Result result =
                new InspectionJob(spark, InspectArgs.parse(args.toArray(String[]::new))).execute();
        assertThat(result.imagesProcessed()).as("one photo, however many tiles").isEqualTo(1);
        assertThat(result.inputsFailed()).isZero();
        return spark.read()
                .parquet("s3a://panels/out/regions")
                .where("run_date = DATE'" + date + "'")
                .collectAsList();
    }

    /** The parts found: those with a region of their class at IoU 0.5 or more. */
    private static long found(List<Row> regions) {
        return truth.stream()
                .filter(t -> regions.stream().anyMatch(r -> matches(t, r)))
                .count();
    }

    private static boolean matches(DemoData.Box t, Row r) {
        return t.concept().equals(r.getAs("concept_name"))
                && t.iou(r.getAs("x_min"), r.getAs("y_min"), r.getAs("x_max"), r.getAs("y_max")) >= 0.5;
    }

    @Test
    void tilesFindTheSmallPartsThatTheWholePhotoMissesEachOnce() throws Exception {
        List<Row> whole = regions("2026-12-01");
        List<Row> tiled = regions("2026-12-02", "--tile-size", "400");

        long foundWhole = found(whole);
        long foundTiled = found(tiled);
        long duplicated = truth.stream()
                .filter(t -> tiled.stream().filter(r -> matches(t, r)).count() > 1)
                .count();
        System.out.printf(
                "Tiled inference on a %dx%d panel of demo boards: %d parts; whole photo found %d (%d regions),"
                        + " 400 px tiles found %d (%d regions), %d found twice%n",
                WIDTH, HEIGHT, truth.size(), foundWhole, whole.size(), foundTiled, tiled.size(), duplicated);
        assertThat(truth).as("parts on the panel").hasSizeGreaterThan(50);
        assertThat(foundWhole).as("parts found on the whole photo").isLessThan(truth.size() / 4);
        assertThat(foundTiled).as("parts found on tiles").isGreaterThanOrEqualTo((long) Math.ceil(0.9 * truth.size()));
        assertThat(duplicated)
                .as("parts found twice, as where a tile border cuts them")
                .isZero();
        assertThat(tiled).allSatisfy(r -> {
            assertThat(r.<Double>getAs("right_col")).isEqualTo(r.<Double>getAs("x_max") / WIDTH);
            assertThat(r.<Integer>getAs("image_width")).isEqualTo(WIDTH);
        });
        assertThat(tiled.stream().map(r -> r.<String>getAs("region_id")).distinct())
                .hasSize(tiled.size());

        // The same photo as several tasks of 5 tiles each, merged once: exactly the same regions.
        List<Row> split = regions("2026-12-03", "--tile-size", "400", "--tiles-per-task", "5");
        assertThat(ids(split)).as("region ids of the split run").isEqualTo(ids(tiled));
    }

    /**
     * The tiny anomalib 2.x model of the common tests, whose map is each input pixel's mean: an anomaly model that
     * sees exactly what it is fed.
     */
    static final Path MEAN_MODEL = Path.of("../common/src/test/resources/models/anomalib2-mean.onnx");

    /** A 320 x 160 black photo with a white 6 x 6 spot at columns 100-105, rows 60-65. */
    private static byte[] spotPhoto() throws java.io.IOException {
        BufferedImage photo = new BufferedImage(320, 160, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = photo.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(100, 60, 6, 6);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(photo, "png", png);
        return png.toByteArray();
    }

    @Test
    void anAnomalyModelOnTilesSeesASpotThatTheWholePhotoHides() throws Exception {
        // Whole, the photo is squashed into the model's 8 x 8 input and the spot falls between the samples; in 32 px
        // tiles it is seen, and the tiles' maps stitched back put it where it is.
        Row whole = spotSummary("2026-12-06");
        Row tiled = spotSummary("2026-12-07", "--tile-size", "32");
        assertThat(whole.<Double>getAs("max"))
                .as("the whole photo's map maximum")
                .isLessThan(0.5);
        assertThat(whole.<String>getAs("heatmap_uri")).isNull();
        assertThat(tiled.<Double>getAs("max"))
                .as("the tiled photo's map maximum")
                .isGreaterThan(0.75);
        assertThat(tiled.<Integer>getAs("image_width")).isEqualTo(320);
        assertThat(tiled.<Integer>getAs("blob_count")).isEqualTo(1);
        Row blob = tiled.<Row>getList(tiled.fieldIndex("blobs")).get(0);
        assertThat(blob.<Double>getAs("left_col")).isBetween(96 / 320.0, 103 / 320.0);
        assertThat(blob.<Double>getAs("right_col")).isBetween(103 / 320.0, 110 / 320.0);
        assertThat(blob.<Double>getAs("top_row")).isBetween(56 / 160.0, 63 / 160.0);
        assertThat(blob.<Double>getAs("bottom_row")).isBetween(63 / 160.0, 70 / 160.0);
        assertThat(tiled.<String>getAs("heatmap_uri"))
                .as("the overlay of the anomalous photo")
                .isNotNull();
        Row score = spark.read()
                .parquet("s3a://panels/out/image_scores")
                .where("run_date = DATE'2026-12-07'")
                .first();
        assertThat(score.<Boolean>getAs("is_anomalous")).isTrue();
        assertThat(score.<Double>getAs("score")).isGreaterThan(0.75);
    }

    /** The spot photo's one heatmap summary, from a run of the mean model with these options. */
    private static Row spotSummary(String date, String... tiling) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--input",
                "s3a://panels/spots/",
                "--anomaly",
                "s3a://panels/models/mean.onnx",
                "--output",
                "s3a://panels/out",
                "--run-date",
                date));
        args.addAll(List.of(tiling));
        InspectionJob.Result result =
                new InspectionJob(spark, InspectArgs.parse(args.toArray(String[]::new))).execute();
        assertThat(result.inputsFailed()).isZero();
        List<Row> rows = spark.read()
                .parquet("s3a://panels/out/heatmap_summaries")
                .where("run_date = DATE'" + date + "'")
                .collectAsList();
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void aPackageThatDeclaresATileSizeRunsTiled() throws Exception {
        List<Row> tiled = regionsOf("s3a://panels/models/pcb-tiled/", "2026-12-04");
        Row run = spark.read()
                .parquet("s3a://panels/out/runs")
                .where("run_date = DATE'2026-12-04'")
                .first();
        assertThat(run.<String>getAs("tiling"))
                .as("the runs table's tiling, from the package's tile_size")
                .isEqualTo("tile-size=400,overlap=0.2,full-frame,nmm");
        assertThat(found(tiled)).as("parts found on the package's tiles").isGreaterThanOrEqualTo((long)
                Math.ceil(0.9 * truth.size()));
    }

    private static List<String> ids(List<Row> regions) {
        return regions.stream().map(r -> r.<String>getAs("region_id")).sorted().toList();
    }
}

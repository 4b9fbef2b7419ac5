package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.image.ExifFiles;
import dev.inspection.image.ImageDecoder;
import dev.inspection.image.RgbImage;
import dev.inspection.jobs.config.InspectArgs;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Photos as phones, cameras and tools write them, through the job: one demo board stored turned with an EXIF
 * orientation, as 16-bit PNG and with a transparent half gives exactly the upright board's regions and size; CMYK and
 * YCCK JPEGs, CMYK and RGBA TIFFs and WebP inspect.
 */
@Tag("spark")
class PhotoFormatsTest {

    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("PhotoFormatsTest", 2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The upright board's pixels stored as {@code stored(x, y)} gives, in a picture of that size. */
    private static BufferedImage stored(
            RgbImage upright, int width, int height, BiFunction<Integer, Integer, int[]> uprightOf) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] at = uprightOf.apply(x, y);
                int[] p = upright.pixel(at[0], at[1]);
                image.setRGB(x, y, p[0] << 16 | p[1] << 8 | p[2]);
            }
        }
        return image;
    }

    private static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** 16 bits a channel, each 8-bit value v as v * 257: OpenCV keeps the high byte, v. */
    private static BufferedImage sixteenBit(RgbImage board) {
        BufferedImage image = new BufferedImage(
                new java.awt.image.ComponentColorModel(
                        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
                        false,
                        false,
                        java.awt.Transparency.OPAQUE,
                        DataBuffer.TYPE_USHORT),
                java.awt.image.Raster.createInterleavedRaster(
                        DataBuffer.TYPE_USHORT, board.width(), board.height(), 3, null),
                false,
                null);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < board.height(); y++) {
            for (int x = 0; x < board.width(); x++) {
                int[] p = board.pixel(x, y);
                raster.setPixel(x, y, new int[] {p[0] * 257, p[1] * 257, p[2] * 257});
            }
        }
        return image;
    }

    /** The board with its right half fully transparent, the RGB under it kept, as OpenCV reads it. */
    private static BufferedImage halfTransparent(RgbImage board) {
        BufferedImage image = new BufferedImage(board.width(), board.height(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < board.height(); y++) {
            for (int x = 0; x < board.width(); x++) {
                int[] p = board.pixel(x, y);
                int alpha = x < board.width() / 2 ? 0xff : 0;
                image.setRGB(x, y, alpha << 24 | p[0] << 16 | p[1] << 8 | p[2]);
            }
        }
        return image;
    }

    @Test
    void aBoardStoredTurnedDeepOrTransparentGivesTheUprightBoardsRegions() throws Exception {
        Path input = Files.createDirectories(dir.resolve("boards"));
        RgbImage board =
                new ImageDecoder(100_000_000).decode(Files.readAllBytes(DemoData.IMAGES.resolve("board-001.jpg")));
        int w = board.width();
        int h = board.height();
        Files.write(input.resolve("upright.png"), png(stored(board, w, h, (x, y) -> new int[] {x, y})));
        // Stored as the tag says to turn it for display: 3 by 180 degrees, 6 by 90 clockwise, 8 by 90
        // counter-clockwise.
        byte[] turned3 = png(stored(board, w, h, (x, y) -> new int[] {w - 1 - x, h - 1 - y}));
        byte[] turned6 = png(stored(board, h, w, (x, y) -> new int[] {w - 1 - y, x}));
        byte[] turned8 = png(stored(board, h, w, (x, y) -> new int[] {y, h - 1 - x}));
        Files.write(input.resolve("orientation-3.png"), ExifFiles.withExifChunk(turned3, 3));
        Files.write(input.resolve("orientation-6.png"), ExifFiles.withExifChunk(turned6, 6));
        Files.write(input.resolve("orientation-8.png"), ExifFiles.withExifChunk(turned8, 8));
        Files.write(input.resolve("sixteen-bit.png"), png(sixteenBit(board)));
        Files.write(input.resolve("transparent.png"), png(halfTransparent(board)));

        Path out = dir.resolve("boards-out");
        InspectionJob.Result result = inspect(input, out);
        assertThat(result.imagesProcessed()).isEqualTo(6);
        assertThat(result.inputsFailed()).isZero();

        Map<String, List<String>> regions = new TreeMap<>();
        for (Row r : spark.read().parquet(out.resolve("regions").toString()).collectAsList()) {
            String file = Path.of(r.<String>getAs("source_uri")).getFileName().toString();
            assertThat(List.of(r.<Integer>getAs("image_width"), r.<Integer>getAs("image_height")))
                    .as("the upright size of %s", file)
                    .containsExactly(w, h);
            regions.computeIfAbsent(file, f -> new java.util.ArrayList<>())
                    .add(String.format(
                            "%s %.3f %.2f %.2f %.2f %.2f",
                            r.<String>getAs("concept_name"),
                            r.<Double>getAs("score"),
                            r.<Double>getAs("x_min"),
                            r.<Double>getAs("y_min"),
                            r.<Double>getAs("x_max"),
                            r.<Double>getAs("y_max")));
        }
        regions.values().forEach(java.util.Collections::sort);
        List<String> upright = regions.get("upright.png");
        assertThat(upright).as("the upright board's regions").hasSizeGreaterThan(5);
        assertThat(regions)
                .containsOnlyKeys(
                        "upright.png",
                        "orientation-3.png",
                        "orientation-6.png",
                        "orientation-8.png",
                        "sixteen-bit.png",
                        "transparent.png")
                .allSatisfy((file, found) -> assertThat(found).as(file).isEqualTo(upright));
    }

    @Test
    void aBigJpegDecodedAtAReducedSizeWithFastDecodeGivesTheFullDecodesRegionsInTheFullPhotosPixels() throws Exception {
        // A board four times its size: into the detector's 320 input, 1/8 of it (320 x 180) is all it needs.
        Path input = Files.createDirectories(dir.resolve("big"));
        BufferedImage board =
                ImageIO.read(DemoData.IMAGES.resolve("board-001.jpg").toFile());
        BufferedImage big =
                new BufferedImage(4 * board.getWidth(), 4 * board.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = big.createGraphics();
        g.setRenderingHint(
                java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(board, 0, 0, big.getWidth(), big.getHeight(), null);
        g.dispose();
        ImageIO.write(big, "jpg", input.resolve("board-x4.jpg").toFile());

        List<Row> reduced = regionsOf(input, dir.resolve("big-reduced"), "--fast-decode");
        List<Row> full = regionsOf(input, dir.resolve("big-full"));
        assertThat(full).as("regions of the full decode").hasSizeGreaterThan(5);
        assertThat(reduced)
                .allSatisfy(r -> assertThat(List.of(r.<Integer>getAs("image_width"), r.<Integer>getAs("image_height")))
                        .containsExactly(big.getWidth(), big.getHeight()));
        System.out.printf(
                "A %dx%d JPEG: %d regions decoded at 1/8, %d decoded in full%n",
                big.getWidth(), big.getHeight(), reduced.size(), full.size());
        // Each region of the full decode is found in the reduced one: same concept, the box within 8 px (2 of the
        // board's own pixels) on every side.
        assertThat(full)
                .allSatisfy(f -> assertThat(reduced).as("a region like %s", f).anySatisfy(r -> {
                    assertThat(r.<String>getAs("concept_name")).isEqualTo(f.getAs("concept_name"));
                    for (String side : List.of("x_min", "y_min", "x_max", "y_max")) {
                        assertThat(r.<Double>getAs(side))
                                .isCloseTo(f.<Double>getAs(side), org.assertj.core.data.Offset.offset(8.0));
                    }
                }));
        assertThat(reduced).hasSameSizeAs(full);
    }

    private static List<Row> regionsOf(Path input, Path out, String... options) throws Exception {
        inspect(input, out, options);
        return spark.read().parquet(out.resolve("regions").toString()).collectAsList();
    }

    @Test
    void cmykYcckTiffAndWebpPhotosInspect() throws Exception {
        Path input = Files.createDirectories(dir.resolve("formats"));
        List<String> files =
                List.of("cmyk-adobe.jpg", "ycck-adobe.jpg", "cmyk.tif", "rgba.tif", "lossy.webp", "lossless.webp");
        for (String file : files) {
            Files.copy(Path.of("../common/src/test/resources/images", file), input.resolve(file));
        }
        Path out = dir.resolve("formats-out");
        InspectionJob.Result result = inspect(input, out);
        assertThat(result.imagesProcessed()).isEqualTo(files.size());
        assertThat(result.inputsFailed()).isZero();
        assertThat(spark.read()
                        .parquet(out.resolve("processed_inputs").toString())
                        .count())
                .isEqualTo(files.size());
    }

    private static InspectionJob.Result inspect(Path input, Path out, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--input",
                input.toString(),
                "--detector",
                DemoData.DETECTOR.toString(),
                "--output",
                out.toString(),
                "--run-date",
                "2026-12-01"));
        args.addAll(List.of(options));
        return new InspectionJob(spark, InspectArgs.parse(args.toArray(String[]::new))).execute();
    }
}

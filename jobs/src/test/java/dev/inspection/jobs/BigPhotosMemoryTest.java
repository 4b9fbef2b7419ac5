package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folders of big photos with {@code scripts/inspect.sh}'s heap (4 GB) and default options, each in a JVM of its own:
 * a task holds one decoded picture at a time (a tiled photo while its tiles are cut) and batches of model inputs, so
 * they inspect instead of running out of memory. The pictures are flat with a few shapes, so that they are quick to write; decoding does not care.
 */
@Tag("spark")
@Tag("child-jvm")
class BigPhotosMemoryTest {

    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("BigPhotosMemoryTest", 1);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** {@code count} copies of one photo of this size and format. */
    private static Path photos(Path dir, int width, int height, String format, int count) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("photos"));
        BufferedImage photo = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = photo.createGraphics();
        g.setColor(new Color(90, 110, 90));
        g.fillRect(0, 0, width, height);
        Random random = new Random(11);
        for (int i = 0; i < 200; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            g.fillRect(
                    random.nextInt(width), random.nextInt(height), 20 + random.nextInt(400), 20 + random.nextInt(400));
        }
        g.dispose();
        Path first = folder.resolve("photo-00." + format);
        ImageIO.write(photo, format, first.toFile());
        for (int i = 1; i < count; i++) {
            Files.copy(first, folder.resolve(String.format("photo-%02d.%s", i, format)));
        }
        return folder;
    }

    private static void inspects(Path dir, Path photos, String master, String... options) throws Exception {
        Path out = dir.resolve("out");
        List<String> args = new java.util.ArrayList<>(List.of(
                "--input",
                photos.toString(),
                "--detector",
                DemoData.DETECTOR.toString(),
                "--anomaly",
                DemoData.ANOMALY_MODEL.toString(),
                "--output",
                out.toString(),
                "--run-date",
                "2026-12-01"));
        args.addAll(List.of(options));
        ChildJob job = ChildJob.run(dir, "4g", master, args);
        long count;
        try (var files = Files.list(photos)) {
            count = files.count();
        }
        assertThat(job.exitCode()).as("exit code; the log:%n%s", job.log()).isZero();
        Row run = spark.read().parquet(out.resolve("runs").toString()).first();
        assertThat(run.<String>getAs("status")).isEqualTo("SUCCEEDED");
        assertThat(run.<Long>getAs("inputs_listed")).isEqualTo(count);
        assertThat(run.<Long>getAs("images_processed")).isEqualTo(count);
        assertThat(spark.read().parquet(out.resolve("errors").toString()).count())
                .isZero();
        assertThat(spark.read().parquet(out.resolve("image_scores").toString()).count())
                .isEqualTo(count);
    }

    @Test
    void sixteenPhotosOf81MegapixelsInspectWithTheDefaults(@TempDir Path dir) throws Exception {
        inspects(dir, photos(dir, 9000, 9000, "png", 16), "local[2]");
    }

    @Test
    void photosOf100MegapixelsInspectTiled(@TempDir Path dir) throws Exception {
        // 289 tiles each, in two tasks of up to 150 tiles: each task holds its photo while it cuts the tiles.
        inspects(
                dir,
                photos(dir, 10_000, 10_000, "png", 2),
                "local[2]",
                "--tile-size",
                "640",
                "--tiles-per-task",
                "150");
    }

    @Test
    void sixteenPhotosOf24MegapixelsInspectOnEightTaskSlots(@TempDir Path dir) throws Exception {
        // Decoded in full, as the heap figures in docs/operations.md (Memory) assume.
        inspects(dir, photos(dir, 6000, 4000, "jpg", 16), "local[8]");
    }
}

package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that runs out of memory, as {@code spark-submit} starts it: its own JVM, local mode, a heap too small for two
 * tasks each decoding a 64 MP photo. It is recorded FAILED with the reason, and exits with the code that
 * docs/options.md documents.
 */
@Tag("spark")
@Tag("child-jvm")
class OutOfMemoryTest {

    @Test
    void aRunOutOfMemoryIsRecordedAsFailedAndExitsWithItsOwnCode(@TempDir Path dir) throws Exception {
        Path input = Files.createDirectories(dir.resolve("orthophotos"));
        BufferedImage big = new BufferedImage(8000, 8000, BufferedImage.TYPE_3BYTE_BGR); // 64 MP, under the limit
        ImageIO.write(big, "png", input.resolve("tile-0.png").toFile());
        for (int i = 1; i < 6; i++) {
            Files.copy(input.resolve("tile-0.png"), input.resolve("tile-" + i + ".png"));
        }
        Path out = dir.resolve("out");

        ChildJob job = ChildJob.run(
                dir,
                "512m",
                "local[2]",
                List.of(
                        "--input",
                        input.toString(),
                        "--detector",
                        DemoData.DETECTOR.toString(),
                        "--output",
                        out.toString(),
                        "--run-date",
                        "2026-12-01",
                        "--batch-size",
                        "8"));
        String log = job.log();

        assertThat(job.exitCode()).as("exit code; the log:%n%s", log).isEqualTo(InspectionJob.EXIT_OUT_OF_MEMORY);
        assertThat(log).contains("error: the inspection run failed:").contains("ran out of memory");
        SparkSession spark = LocalSpark.start("OutOfMemoryTest", 1);
        try {
            Row run = spark.read().parquet(out.resolve("runs").toString()).first();
            assertThat(run.<String>getAs("status")).isEqualTo("FAILED");
            assertThat(run.<String>getAs("message"))
                    .contains("ran out of memory")
                    .contains("OutOfMemoryError");
            assertThat(run.<Long>getAs("inputs_listed")).isEqualTo(6);
        } finally {
            spark.stop();
        }
    }
}

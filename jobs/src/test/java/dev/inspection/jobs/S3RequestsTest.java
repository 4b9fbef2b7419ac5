package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.jobs.config.InspectArgs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.s3a.Statistic;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reading photos from S3 costs in requests, counted by S3A itself: one GET per photo and no HEAD, because a photo
 * is opened with the length its listing gave, whole-file. The output is on local disk, so every request counted is the
 * listing's or a photo's.
 */
@Tag("spark")
@Tag("s3")
class S3RequestsTest {

    static EmbeddedS3 s3;
    static SparkSession spark;
    static List<Path> boards;

    @BeforeAll
    static void start() throws Exception {
        s3 = EmbeddedS3.start();
        s3.createBucket("line-4");
        boards = DemoData.images().subList(0, 12);
        for (Path board : boards) {
            s3.put("line-4", "boards/" + board.getFileName(), Files.readAllBytes(board));
        }
        spark = s3.localSpark("S3RequestsTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
        s3.close();
    }

    @Test
    void eachPhotoIsOneGetAndNoHead(@TempDir Path out) throws Exception {
        FileSystem bucket =
                FileSystem.get(URI.create("s3a://line-4/"), spark.sparkContext().hadoopConfiguration());
        Map<String, Long> before = counters(bucket);

        InspectionJob.Result result = new InspectionJob(
                        spark,
                        InspectArgs.parse(
                                "--input",
                                "s3a://line-4/boards/",
                                "--detector",
                                DemoData.DETECTOR.toUri().toString(),
                                "--output",
                                out.toUri().toString(),
                                "--run-date",
                                "2026-12-02"))
                .execute();

        assertThat(result.imagesProcessed()).isEqualTo(boards.size());
        Map<String, Long> after = counters(bucket);
        long gets = delta(before, after, Statistic.ACTION_HTTP_GET_REQUEST);
        long heads = delta(before, after, Statistic.ACTION_HTTP_HEAD_REQUEST);
        long lists = delta(before, after, Statistic.OBJECT_LIST_REQUEST);
        System.out.printf("S3 requests for %d photos: %d GET, %d HEAD, %d LIST%n", boards.size(), gets, heads, lists);
        assertThat(gets).as("GET requests, one per photo").isEqualTo(boards.size());
        assertThat(heads)
                .as("HEAD requests: the listing's of the input folder, none per photo")
                .isLessThanOrEqualTo(2);
    }

    private static Map<String, Long> counters(FileSystem fs) {
        return Map.copyOf(IOStatisticsSupport.retrieveIOStatistics(fs).counters());
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, Statistic statistic) {
        return after.getOrDefault(statistic.getSymbol(), 0L) - before.getOrDefault(statistic.getSymbol(), 0L);
    }
}

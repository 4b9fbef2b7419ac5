package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.jobs.config.InspectArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixed costs of a run, as the Spark jobs it starts: a plain run (still images and a file of another format, one
 * detector) starts the jobs Spark needs and no more. A count, not a timing: a job that a change adds shows here on any
 * machine.
 */
@Tag("spark")
class SparkJobsTest {

    @TempDir
    static Path dir;

    static SparkSession spark;

    /** The phase (job group) of each Spark job the run started, in order. */
    static List<String> jobs;

    static InspectionJob.Result result;

    @BeforeAll
    static void run() throws Exception {
        spark = LocalSpark.start("SparkJobsTest", 2);
        Path boards = Files.createDirectories(dir.resolve("boards"));
        for (Path image : DemoData.images().subList(0, 10)) {
            Files.copy(image, boards.resolve(image.getFileName()));
        }
        Files.writeString(boards.resolve("notes.txt"), "not an input");
        List<String> started = new ArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                synchronized (started) {
                    started.add(start.properties().getProperty("spark.jobGroup.id"));
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
        result = new InspectionJob(
                        spark,
                        InspectArgs.parse(
                                "--input",
                                boards.toUri().toString(),
                                "--detector",
                                DemoData.DETECTOR.toUri().toString(),
                                "--output",
                                dir.resolve("out").toUri().toString()))
                .execute();
        spark.sparkContext().listenerBus().waitUntilEmpty();
        spark.sparkContext().removeSparkListener(listener);
        synchronized (started) {
            jobs = List.copyOf(started);
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /**
     * Listing: one job lists, counts and names the files (it was three: two counts and the names). Planning: the tally
     * of the units. Inference: the job that inspects, fills the cache and counts what the runs row and the writes need
     * (it was three: a Dataset count goes through a shuffle that AQE runs as a job of its own). Writing: regions and
     * processed_inputs, a job each (few rows: written by one task without a shuffle, which was a job of its own), and
     * the runs row; errors, with no rows, gets its empty file without a job. It was sixteen: a job per table to find out whether it was empty, a
     * count of the result tables for the runs row, and joins with the errors even where there were none.
     */
    @Test
    void aPlainRunStartsOneJobPerPhaseAndOnePerTableWritten() {
        Map<String, Integer> perPhase = new TreeMap<>();
        jobs.forEach(phase -> perPhase.merge(phase, 1, Integer::sum));
        assertThat(perPhase)
                .as("Spark jobs per phase, in order %s", jobs)
                .containsExactlyInAnyOrderEntriesOf(Map.of("listing", 1, "planning", 1, "inference", 1, "writing", 3));
    }

    @Test
    void theRunsRowCountsWhatTheRunDid() {
        assertThat(result.inputsListed()).as("inputs listed").isEqualTo(10);
        assertThat(result.inputsUnsupported()).as("files of other formats").isEqualTo(1);
        assertThat(result.imagesProcessed()).as("images inspected").isEqualTo(10);
        assertThat(result.inputsFailed()).as("inputs failed").isZero();
        assertThat(result.regionsWritten())
                .as("regions written, by concept")
                .isEqualTo(result.regionsPerConcept().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isPositive();
        assertThat(spark.read().parquet(dir.resolve("out/regions").toString()).count())
                .as("rows of the regions table")
                .isEqualTo(result.regionsWritten());
        assertThat(spark.read()
                        .parquet(dir.resolve("out/processed_inputs").toString())
                        .count())
                .as("rows of the ledger")
                .isEqualTo(10);
        assertThat(spark.read().parquet(dir.resolve("out/errors").toString()).count())
                .as("rows of the errors table")
                .isZero();
    }
}
